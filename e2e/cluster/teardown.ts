import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { databaseUrl } from './services';

/**
 * After the cluster run: drops the run's PostgreSQL schema and removes the nodes' data folders
 * (playwright.cluster.config.ts names both after PARLEY_E2E_SCHEMA). The nodes are still up here
 * (Playwright stops its web servers after the global teardown), idle by now.
 */
export default async function teardown(): Promise<void> {
  const schema = process.env.PARLEY_E2E_SCHEMA;
  if (!schema || !/^parley_e2e_[a-z0-9_]+$/.test(schema)) throw new Error(`not a cluster run's schema: ${schema}`);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await db.end();
  }
  fs.rmSync(path.join(os.tmpdir(), schema), { recursive: true, force: true });
}
