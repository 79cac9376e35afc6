import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { databaseUrl, redisUrl } from './cluster/services';
import type { AxeOption, PersonaURLsOption } from './fixtures';
import { serverEnv, sharedConfig, sharedUse } from './playwright.shared';

// Two Parley nodes of one deployment: one PostgreSQL schema, one Redis, each node its own port and
// data folder. alice and carol use node A, bob uses node B, so everything one of them sees of
// another went through PostgreSQL and Redis. The schema is new for each run and is also the Redis
// prefix (CLUSTER_NAME): runs on one machine do not meet. cluster/teardown.ts drops it.
//
// The config is read again in each worker: the schema goes through the environment so that every
// process of the run agrees on it.
process.env.PARLEY_E2E_SCHEMA ??= `parley_e2e_${randomBytes(4).toString('hex')}`;
const schema = process.env.PARLEY_E2E_SCHEMA;
const firstPort = Number(process.env.PARLEY_E2E_CLUSTER_PORT ?? 4273);

const nodes = ['a', 'b'].map((name, i) => {
  const port = firstPort + i;
  const dataDir = path.join(os.tmpdir(), schema, `node-${name}`);
  fs.mkdirSync(dataDir, { recursive: true });
  return { port, dataDir, url: `http://127.0.0.1:${port}` };
});
const [nodeA, nodeB] = nodes as [(typeof nodes)[number], (typeof nodes)[number]];

export default defineConfig<AxeOption & PersonaURLsOption>({
  ...sharedConfig,
  testDir: 'tests-cluster',
  // Three browsers and two nodes per test: more room than the SQLite run's 60 s on a loaded machine.
  timeout: 120_000,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report/cluster' }]],
  outputDir: 'test-results/cluster',
  globalTeardown: './cluster/teardown.ts',
  use: {
    ...sharedUse,
    baseURL: nodeA.url,
    personaURLs: { alice: nodeA.url, bob: nodeB.url, carol: nodeA.url },
  },
  // One after the other: node A runs the migrations, node B finds them done.
  webServer: nodes.map(({ port, dataDir, url }) => ({
    command: 'node ../apps/server/dist/main.js',
    url: `${url}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      ...serverEnv,
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      REDIS_URL: redisUrl,
      CLUSTER_NAME: schema,
    },
  })),
});
