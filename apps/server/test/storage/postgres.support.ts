import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect } from 'vitest';
import { StorageUnavailableError } from '../../src/storage/errors.js';
import { createPostgresStorage, type PostgresStorageOptions } from '../../src/storage/postgres/index.js';
import type { NewMessage, Storage } from '../../src/storage/storage.js';
import { testDatabaseUrl } from '../support/postgres.js';

/**
 * What the PostgreSQL storage suites share: the test database (without one they skip, under CI
 * they fail), a schema of their own per suite, dropped at the end, and helpers that hold locks
 * as another node would.
 */

export const databaseUrl = await testDatabaseUrl();
export const describePostgres = databaseUrl ? describe : describe.skip;

export const T0 = '2026-01-01T00:00:00.000Z';
export const TABLES =
  'file_blobs, file_chunks, upload_days, files, room_bans, message_mentions, thread_reads, message_versions, messages, invitations, ' +
  'memberships, sessions, rooms, users';

export const until = async (condition: () => Promise<boolean>, what: string, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

export const noSqlIn = (error: unknown) => {
  expect(error).toBeInstanceOf(StorageUnavailableError);
  expect((error as Error).message).not.toMatch(/SELECT|UPDATE|INSERT|DELETE|rooms|messages|\$1/);
};

export interface TestSchema {
  /** parley_test_<random>: every storage opened here uses it. */
  readonly schema: string;
  /** A pool on the schema, for what the test does behind the storage's back (set in beforeAll). */
  readonly admin: pg.Pool;
  open(options?: Partial<PostgresStorageOptions>): Promise<Storage>;
  /** Backends waiting, directly or through another waiter, on a lock held by pid. */
  blockedBy(pid: number): Promise<number[]>;
  /** Holds the room's row lock (as a writer on another node would) until release(). */
  lockRoom(roomId: string): Promise<{ pid: number; waiting(n: number): Promise<void>; release(): Promise<void> }>;
}

/** A schema of its own for the enclosing describe block: created and migrated before it, dropped after it. */
export function useTestSchema(): TestSchema {
  const schema = `parley_test_${randomBytes(6).toString('hex')}`;
  let pool: pg.Pool | undefined;
  const admin = () => {
    if (!pool) throw new Error('the test schema is only there inside its describe block');
    return pool;
  };
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: databaseUrl, options: `-c search_path=${schema}`, max: 4 });
    pool.on('error', () => undefined);
    await pool.query(`CREATE SCHEMA ${schema}`);
    // Migrated up front, so a suite may empty the tables before it opens its first storage.
    await (await createPostgresStorage({ connectionString: databaseUrl!, schema })).close();
  });
  afterAll(async () => {
    await pool?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool?.end();
  });

  const blockedBy = async (pid: number): Promise<number[]> =>
    (
      await admin().query<{ pid: number }>(
        `WITH RECURSIVE blocked (pid) AS (
           SELECT pid FROM pg_stat_activity WHERE $1::int = ANY (pg_blocking_pids(pid))
           UNION
           SELECT a.pid FROM pg_stat_activity a JOIN blocked b ON b.pid = ANY (pg_blocking_pids(a.pid))
         ) SELECT pid FROM blocked`,
        [pid],
      )
    ).rows.map((r) => r.pid);

  return {
    schema,
    get admin() {
      return admin();
    },
    open: (options = {}) => createPostgresStorage({ connectionString: databaseUrl!, schema, ...options }),
    blockedBy,
    async lockRoom(roomId) {
      const client = await admin().connect();
      await client.query('BEGIN');
      await client.query('SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE', [roomId]);
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      return {
        pid,
        waiting: (n) => until(async () => (await blockedBy(pid)).length >= n, `${n} backend(s) blocked on the room`),
        release: async () => {
          await client.query('COMMIT');
          client.release();
        },
      };
    },
  };
}

/**
 * Storages opened as nodes of one deployment, on empty tables: the tables are emptied before
 * each test and the nodes closed after it.
 */
export function useNodes(db: TestSchema): (options?: Partial<PostgresStorageOptions>) => Promise<Storage> {
  const storages: Storage[] = [];
  beforeEach(async () => {
    await db.admin.query(`TRUNCATE ${TABLES}`);
    return async () => {
      await Promise.all(storages.splice(0).map((s) => s.close()));
    };
  });
  return async (options = {}) => {
    const storage = await db.open(options);
    storages.push(storage);
    return storage;
  };
}

export const message = (
  roomId: string,
  author: { id: string; username: string; displayName?: string },
  clientMsgId: string,
  extra: Partial<NewMessage> = {},
): NewMessage => ({
  id: `m_${randomBytes(6).toString('hex')}`,
  roomId,
  author: { displayName: '', ...author },
  clientMsgId,
  text: `text ${clientMsgId}`,
  createdAt: T0,
  ...extra,
});

/** A public room 'r_busy' with `authors` writers (writer0 owns it), all members. */
export const seedRoom = async (storage: Storage, authors: number) => {
  const users = Array.from({ length: authors }, (_, i) => ({ id: `u_w${i}`, username: `writer${i}`, displayName: '' }));
  for (const u of users) await storage.users.create({ ...u, passwordHash: 'h', createdAt: T0 });
  const room = await storage.rooms.create(
    { id: 'r_busy', kind: 'public', name: 'busy', ownerId: users[0]!.id, createdAt: T0 },
    users.map((u) => u.id),
  );
  return { users, roomId: room.id };
};
