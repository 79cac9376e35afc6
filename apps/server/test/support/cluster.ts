import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { connect, register, uniqueName, type Client } from './harness.js';
import { testDatabaseUrl } from './postgres.js';
import { startProcess, type ServerProcess } from './process.js';
import { testRedisUrl } from './services.js';

/** What the nodes of one test deployment share, and how to take it all down again. */
export interface Deployment {
  /** The PostgreSQL schema, also the deployment's Redis stream and key prefix. */
  schema: string;
  /** Environment for each node (PORT 0: each picks its own). */
  env: Record<string, string>;
  /** Drops the schema and the data folder. */
  destroy(): Promise<void>;
}

/**
 * A deployment of its own for one cluster test: a fresh schema and data folder, limits raised
 * (every test registers and floods from 127.0.0.1 on purpose, and with Redis those budgets are
 * shared). `env` overrides any variable, e.g. DATABASE_URL to reach PostgreSQL another way; the
 * schema is always dropped through `databaseUrl`.
 */
export function deployment(databaseUrl: string, redisUrl: string, label: string, env: Record<string, string> = {}): Deployment {
  const schema = `parley_${label}_${randomBytes(4).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-${label}-`));
  return {
    schema,
    env: {
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      REDIS_URL: redisUrl,
      CLUSTER_NAME: schema,
      LIMIT_MESSAGES_PER_MINUTE: '100000',
      LIMIT_AUTH_ATTEMPTS_PER_IP: '100000',
      ...env,
    },
    destroy: async () => {
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Stops a node gracefully unless it is already gone. */
export async function stopNode(node: ServerProcess): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  node.child.kill('SIGTERM');
  await once(node.child, 'exit');
}

/** Two running nodes of one deployment for a test file, and the clients its tests connect. */
export interface TwoNodes {
  /** Both nodes once started; empty when PostgreSQL or Redis is not reachable (tests skip then). */
  nodes: ServerProcess[];
  /** The deployment, once started (another node can join it: `startProcess(cluster().env)`). */
  cluster(): Deployment;
  /** Closes `client` after the file's tests. */
  track(client: Client): Client;
  /** Registers someone on the first node and connects them to `node`. */
  person(prefix: string, node: ServerProcess): Promise<Client>;
}

/**
 * Starts two nodes of a fresh deployment on PostgreSQL and Redis before the file's tests (one at
 * a time: the first runs the migrations, the second would wait on their advisory lock) and takes
 * everything down after them. Call it at the top of a test file.
 */
export function useTwoNodes(label: string, env: Record<string, string> = {}): TwoNodes {
  const nodes: ServerProcess[] = [];
  const clients: Client[] = [];
  let current: Deployment | undefined;
  beforeAll(async () => {
    const [databaseUrl, redisUrl] = [await testDatabaseUrl(), await testRedisUrl()];
    if (!databaseUrl || !redisUrl) return;
    current = deployment(databaseUrl, redisUrl, label, env);
    nodes.push(await startProcess(current.env));
    nodes.push(await startProcess(current.env));
  }, 60_000);
  afterAll(async () => {
    for (const client of clients) client.close();
    for (const node of nodes) await stopNode(node);
    await current?.destroy();
  });
  const track = (client: Client) => (clients.push(client), client);
  return {
    nodes,
    cluster: () => {
      if (!current) throw new Error('the deployment is not running');
      return current;
    },
    track,
    person: async (prefix, node) => track(await connect(node.url, await register(nodes[0]!.url, uniqueName(prefix)))),
  };
}
