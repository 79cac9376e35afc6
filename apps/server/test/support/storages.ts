import { describe } from 'vitest';
import { describePostgres, useTestSchema } from '../storage/postgres.support.js';
import { startServer, type StartServer } from './harness.js';

/**
 * Declares a socket or HTTP suite once and runs it on each storage: SQLite (a temporary folder per
 * server) and PostgreSQL (a schema of its own for the suite, dropped after it; skipped without a
 * PostgreSQL, failed instead under CI). `start` starts the real app on that storage.
 */
export function describeEachStorage(title: string, suite: (start: StartServer) => void): void {
  describe(`${title} on SQLite`, () => suite(startServer));
  describePostgres(`${title} on PostgreSQL`, () => {
    const db = useTestSchema();
    suite(async (overrides = {}) => startServer({ ...overrides, storage: await db.open() }));
  });
}
