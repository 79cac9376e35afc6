import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { serverEnv, sharedConfig, sharedUse } from './playwright.shared';

// One real Parley server for the run, on a fresh data folder, serving the built web app.
// (playwright.cluster.config.ts runs tests-cluster/ on two nodes sharing PostgreSQL and Redis.)
const port = Number(process.env.PARLEY_E2E_PORT ?? 4173);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-e2e-'));
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  ...sharedConfig,
  testDir: 'tests',
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  outputDir: 'test-results',
  use: { ...sharedUse, baseURL },
  webServer: {
    command: 'node ../apps/server/dist/main.js',
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { ...serverEnv, PORT: String(port), DATA_DIR: dataDir },
  },
});
