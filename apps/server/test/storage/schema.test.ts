import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations as postgresMigrations } from '../../src/storage/postgres/migrations.js';
import { migrationsFor, type Dialect } from '../../src/storage/schema.js';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import { migrations as sqliteMigrations } from '../../src/storage/sqlite/migrations.js';
import type { Storage } from '../../src/storage/storage.js';
import { describePostgres, useTestSchema } from './postgres.support.js';

/**
 * Released migrations never change: databases made by them must keep working. fixtures/released/
 * holds the SQL each released migration shipped with, per dialect, exactly as it shipped (from
 * the migrations files before the schema was written once, in storage/schema.ts). A new
 * migration adds its two files there once released; RELEASED gains its version and name.
 */
const RELEASED = [
  { version: 1, name: 'initial schema' },
  { version: 2, name: 'change stream, edits, reactions and threads' },
];

const shipped = (version: number, dialect: Dialect) =>
  fs.readFileSync(new URL(`./fixtures/released/v${version}.${dialect}.sql`, import.meta.url), 'utf8');

/** SQL without comments, whitespace collapsed, none around punctuation. */
const normalise = (sql: string) =>
  sql
    .replace(/--[^\n]*/g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([(),;]) ?/g, '$1')
    .trim();

/** The table both runners (db.ts) record applied migrations in, as they create it. */
const RECORD_TABLE = `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`;

/** Shows that a storage opened on a released database works: writes and reads in every table. */
const exercise = async (storage: Storage) => {
  const T0 = '2026-01-01T00:00:00.000Z';
  await storage.users.create({ id: 'u_a', username: 'alice', passwordHash: 'h', createdAt: T0 });
  await storage.sessions.create({ id: 's_a', userId: 'u_a', createdAt: T0, expiresAt: 4_102_444_800_123 });
  await storage.rooms.create({ id: 'r_a', kind: 'private', name: 'a', ownerId: 'u_a', createdAt: T0 }, ['u_a']);
  await storage.rooms.addInvitation({ roomId: 'r_a', userId: 'u_a', invitedBy: 'u_a', createdAt: T0 });
  const author = { id: 'u_a', username: 'alice', displayName: '' };
  await storage.messages.append({ id: 'm_a', roomId: 'r_a', author, clientMsgId: 'c', text: 'hi', createdAt: T0 });
  expect((await storage.sessions.findActive('s_a', 0))?.user).toEqual(author);
  expect((await storage.messages.history('r_a', { limit: 5 })).map((m) => m.seq)).toEqual([1]);
  expect(await storage.rooms.markRead('r_a', 'u_a', 5)).toBe(1);
  // v2: versions, reactions, a thread and its read marker, the change stream.
  await storage.messages.edit({ roomId: 'r_a', messageId: 'm_a', text: 'hello', editedAt: T0 });
  await storage.messages.setReaction({ roomId: 'r_a', messageId: 'm_a', userId: 'u_a', emoji: '👍', on: true });
  const reply = { id: 'm_r', roomId: 'r_a', author, clientMsgId: 'r', text: 'reply', createdAt: T0, threadRootId: 'm_a' };
  expect((await storage.messages.append(reply)).created).toBe(true);
  expect(await storage.messages.versions('r_a', 'm_a')).toEqual([
    { text: 'hi', editedAt: T0 },
    { text: 'hello', editedAt: T0 },
  ]);
  expect(await storage.messages.markThreadRead('r_a', 'm_a', 'u_a', 2)).toBe(2);
  const { messages, lastRev } = await storage.messages.changes('r_a', 0, 10);
  expect(messages.map((m) => [m.id, m.rev])).toEqual([
    ['m_r', 4],
    ['m_a', 5],
  ]);
  expect(messages[1]).toMatchObject({ text: 'hello', reactions: [{ emoji: '👍', userIds: ['u_a'] }], thread: { replyCount: 1 } });
  expect(lastRev).toBe(5);
};

/** A v1 database's rooms and messages, written as v1 wrote them: two rooms of 3 and 2 messages. */
const V1_DATA = `
  INSERT INTO users (id, username, password_hash, created_at) VALUES ('u_old', 'old', 'h', '2025-01-01T00:00:00.000Z');
  INSERT INTO rooms (id, kind, name, owner_id, member_count, last_seq, created_at) VALUES
    ('r_one', 'public', 'one', 'u_old', 1, 3, '2025-01-01T00:00:00.000Z'),
    ('r_two', 'public', 'two', 'u_old', 1, 2, '2025-01-01T00:00:00.000Z');
  INSERT INTO memberships (room_id, user_id, last_read_seq, joined_at) VALUES
    ('r_one', 'u_old', 3, '2025-01-01T00:00:00.000Z'), ('r_two', 'u_old', 2, '2025-01-01T00:00:00.000Z');
  INSERT INTO messages (id, room_id, seq, author_id, client_msg_id, text, created_at) VALUES
    ('m_1', 'r_one', 1, 'u_old', 'c1', 'one', '2025-01-01T00:00:01.000Z'),
    ('m_2', 'r_one', 2, 'u_old', 'c2', 'two', '2025-01-01T00:00:02.000Z'),
    ('m_3', 'r_one', 3, 'u_old', 'c3', 'three', '2025-01-01T00:00:03.000Z'),
    ('m_4', 'r_two', 1, 'u_old', 'c4', 'four', '2025-01-01T00:00:04.000Z'),
    ('m_5', 'r_two', 2, 'u_old', 'c5', 'five', '2025-01-01T00:00:05.000Z');
`;

/** A v1 database with messages, migrated: revs are the seqs, each room's lastRev its lastSeq, and the stream goes on from there. */
const expectMigratedFromV1 = async (storage: Storage) => {
  for (const [roomId, count] of [
    ['r_one', 3],
    ['r_two', 2],
  ] as const) {
    expect(await storage.rooms.findById(roomId)).toMatchObject({ lastSeq: count, lastRev: count, topic: '' });
    const history = await storage.messages.history(roomId, { limit: 10 });
    expect(history.map((m) => [m.seq, m.rev])).toEqual(Array.from({ length: count }, (_, i) => [i + 1, i + 1]));
    expect(history[0]).toMatchObject({ editedAt: null, deleted: false, threadRootId: null, thread: null, reactions: [], mentions: [] });
    const changes = await storage.messages.changes(roomId, 0, 10);
    expect(changes).toEqual({ messages: history, lastRev: count, more: false });
  }
  const edited = await storage.messages.edit({ roomId: 'r_one', messageId: 'm_2', text: 'two!', editedAt: '2026-01-01T00:00:00.000Z' });
  expect(edited).toMatchObject({ kind: 'changed', message: { seq: 2, rev: 4 } });
  expect(await storage.messages.versions('r_one', 'm_2')).toEqual([
    { text: 'two', editedAt: '2025-01-01T00:00:02.000Z' },
    { text: 'two!', editedAt: '2026-01-01T00:00:00.000Z' },
  ]);
  const author = { id: 'u_old', username: 'old', displayName: '' };
  const sent = await storage.messages.append({
    id: 'm_6',
    roomId: 'r_two',
    author,
    clientMsgId: 'c6',
    text: 'six',
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  expect(sent.message).toMatchObject({ seq: 3, rev: 3 });
};

describe('schema source (storage/schema.ts)', () => {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    it(`generates, for ${dialect}, the SQL every released migration shipped with`, () => {
      const generated = migrationsFor(dialect);
      expect(generated.slice(0, RELEASED.length).map(({ version, name }) => ({ version, name }))).toEqual(RELEASED);
      for (const { version } of RELEASED) {
        expect(normalise(generated.find((m) => m.version === version)!.sql)).toBe(normalise(shipped(version, dialect)));
      }
    });
  }

  it('is what the SQLite and PostgreSQL runners apply', () => {
    expect(sqliteMigrations).toEqual(migrationsFor('sqlite'));
    expect(postgresMigrations).toEqual(migrationsFor('postgres'));
  });
});

/** Tables, columns, indexes, foreign keys and checks of a SQLite database, schema_migrations aside. */
const sqliteSchema = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    const objects = db
      .prepare<[], { type: string; name: string; tbl_name: string; sql: string | null }>(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name <> 'schema_migrations' ORDER BY type, name",
      )
      .all()
      .map((o) => ({ ...o, sql: o.sql && normalise(o.sql) }));
    const tables = objects.filter((o) => o.type === 'table').map((o) => o.name);
    const detail = (pragma: string, name: string) => db.prepare(`SELECT * FROM pragma_${pragma}(?)`).all(name);
    return {
      objects,
      tables: tables.map((table) => ({
        table,
        columns: detail('table_xinfo', table),
        foreignKeys: detail('foreign_key_list', table),
        indexes: (detail('index_list', table) as { name: string }[]).map((index) => ({
          ...index,
          columns: detail('index_xinfo', index.name),
        })),
      })),
    };
  } finally {
    db.close();
  }
};

describe('SQLite schema', () => {
  it('is the released one on a fresh database, and a released database opens without migrating again', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-schema-'));
    try {
      const releasedDir = path.join(root, 'released');
      fs.mkdirSync(releasedDir);
      const releasedFile = path.join(releasedDir, 'parley.db');
      const released = new Database(releasedFile);
      released.exec(RECORD_TABLE);
      for (const { version, name } of RELEASED) {
        released.exec(shipped(version, 'sqlite'));
        released.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(version, name, 'released');
      }
      released.close();
      const before = sqliteSchema(releasedFile);

      const freshDir = path.join(root, 'fresh');
      await createSqliteStorage(freshDir).close();
      expect(sqliteSchema(path.join(freshDir, 'parley.db'))).toEqual(before);

      const storage = createSqliteStorage(releasedDir);
      try {
        await exercise(storage);
      } finally {
        await storage.close();
      }
      expect(sqliteSchema(releasedFile)).toEqual(before);
      const applied = new Database(releasedFile, { readonly: true });
      expect(applied.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all()).toEqual(
        RELEASED.map(({ version, name }) => ({ version, name, applied_at: 'released' })),
      );
      applied.close();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
  it('migrates a v1 database with messages: revs = seqs, lastRev = lastSeq', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-schema-'));
    try {
      const v1 = new Database(path.join(dir, 'parley.db'));
      v1.exec(RECORD_TABLE);
      v1.exec(shipped(1, 'sqlite'));
      v1.prepare("INSERT INTO schema_migrations VALUES (1, 'initial schema', 'released')").run();
      v1.exec(V1_DATA);
      v1.close();
      const storage = createSqliteStorage(dir);
      try {
        await expectMigratedFromV1(storage);
      } finally {
        await storage.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describePostgres('PostgreSQL schema', () => {
  const db = useTestSchema();

  /** Columns, indexes, constraints and storage options of the tables in schema, schema_migrations aside. */
  const postgresSchema = async (schema: string) => {
    const unqualified = (rows: object[]) => JSON.parse(JSON.stringify(rows).replaceAll(`${schema}.`, ''));
    const query = async (sql: string) => unqualified((await db.admin.query(sql, [schema])).rows);
    return {
      columns: await query(
        `SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default, collation_name
           FROM information_schema.columns
          WHERE table_schema = $1 AND table_name <> 'schema_migrations' ORDER BY table_name, ordinal_position`,
      ),
      indexes: await query(
        `SELECT tablename, indexname, indexdef FROM pg_indexes
          WHERE schemaname = $1 AND tablename <> 'schema_migrations' ORDER BY indexname`,
      ),
      constraints: await query(
        `SELECT t.relname AS table, c.conname, c.contype, pg_get_constraintdef(c.oid) AS definition
           FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = $1 AND t.relname <> 'schema_migrations' ORDER BY t.relname, c.conname`,
      ),
      relations: await query(
        `SELECT c.relname, c.relkind, c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname NOT LIKE 'schema_migrations%' ORDER BY c.relname`,
      ),
    };
  };

  it('is the released one on a fresh database, and a released database opens without migrating again', async () => {
    const released = `${db.schema}_released`;
    const fresh = `${db.schema}_fresh`;
    try {
      const client = await db.admin.connect();
      try {
        await client.query(`CREATE SCHEMA ${released}; SET search_path TO ${released}; ${RECORD_TABLE}`);
        for (const { version, name } of RELEASED) {
          await client.query(shipped(version, 'postgres'));
          await client.query(`INSERT INTO schema_migrations VALUES ($1, $2, 'released')`, [version, name]);
        }
      } finally {
        client.release(true);
      }
      const before = await postgresSchema(released);
      expect(before.columns.length).toBeGreaterThan(0);

      await (await db.open({ schema: fresh })).close();
      expect(await postgresSchema(fresh)).toEqual(before);

      const storage = await db.open({ schema: released });
      try {
        await exercise(storage);
      } finally {
        await storage.close();
      }
      expect(await postgresSchema(released)).toEqual(before);
      const applied = await db.admin.query(`SELECT version, name, applied_at FROM ${released}.schema_migrations ORDER BY version`);
      expect(applied.rows).toEqual(RELEASED.map(({ version, name }) => ({ version, name, applied_at: 'released' })));
    } finally {
      await db.admin.query(`DROP SCHEMA IF EXISTS ${released} CASCADE; DROP SCHEMA IF EXISTS ${fresh} CASCADE`);
    }
  });

  it('migrates a v1 database with messages: revs = seqs, lastRev = lastSeq', async () => {
    const v1 = `${db.schema}_v1`;
    try {
      const client = await db.admin.connect();
      try {
        await client.query(`CREATE SCHEMA ${v1}; SET search_path TO ${v1}; ${RECORD_TABLE}`);
        await client.query(shipped(1, 'postgres'));
        await client.query(`INSERT INTO schema_migrations VALUES (1, 'initial schema', 'released')`);
        await client.query(V1_DATA);
      } finally {
        client.release(true);
      }
      const storage = await db.open({ schema: v1 });
      try {
        await expectMigratedFromV1(storage);
      } finally {
        await storage.close();
      }
    } finally {
      await db.admin.query(`DROP SCHEMA IF EXISTS ${v1} CASCADE`);
    }
  });
});
