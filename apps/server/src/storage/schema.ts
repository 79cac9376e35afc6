/**
 * Parley's schema, written once for SQLite and PostgreSQL: versioned migrations, applied in
 * order at start-up by each driver's db.ts (PostgreSQL's under an advisory lock). Never edit a
 * released migration: add a new one. test/storage/schema.test.ts holds the SQL every released
 * migration shipped with, per dialect (fixtures/released/), and fails when what is generated
 * here differs from it; a new migration adds its own fixtures there.
 *
 * The dialects differ only in the few types and options of `DialectTerms`:
 * - every seq, rev and read marker is 64-bit (SQLite's INTEGER already is, PostgreSQL's is not);
 * - username sorts by bytes in both, whatever the PostgreSQL database's locale;
 * - PostgreSQL leaves free space in the pages of rows updated by every message.
 * ISO timestamps stay TEXT in both, so they come back exactly as they were written.
 */

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** What the DDL below may vary by dialect; everything else in it is written once. */
interface DialectTerms {
  /** A 64-bit integer column type (seqs, revs, read markers). */
  int64: string;
  /**
   * Follows TEXT where text must sort by bytes, as SQLite's BINARY does: PostgreSQL's
   * COLLATE "C", whatever the database locale; a unique index on it then serves `LIKE 'prefix%'`.
   */
  bytewise: string;
  /** Table storage parameters after `CREATE TABLE (...)`: free space per page keeps updates HOT. */
  fillfactor(percent: number): string;
}

const TERMS: Readonly<Record<Dialect, DialectTerms>> = {
  sqlite: { int64: 'INTEGER', bytewise: '', fillfactor: () => '' },
  postgres: { int64: 'BIGINT', bytewise: ' COLLATE "C"', fillfactor: (percent) => ` WITH (fillfactor = ${percent})` },
};

interface MigrationSource {
  version: number;
  name: string;
  sql(t: DialectTerms): string;
}

const MIGRATIONS: ReadonlyArray<MigrationSource> = [
  {
    version: 1,
    name: 'initial schema',
    // sessions.expires_at shipped as BIGINT in both dialects (SQLite gives it INTEGER affinity).
    // Every message updates its room's row (last_seq) and its author's membership
    // (last_read_seq): hence the fillfactor of those two tables.
    sql: (t) => `
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        username      TEXT${t.bytewise} NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        created_at    TEXT NOT NULL
      );

      CREATE TABLE sessions (
        id         TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users (id),
        created_at TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX sessions_user_id ON sessions (user_id);
      CREATE INDEX sessions_expires_at ON sessions (expires_at);

      CREATE TABLE rooms (
        id           TEXT PRIMARY KEY,
        kind         TEXT NOT NULL CHECK (kind IN ('public', 'private', 'dm')),
        name         TEXT NOT NULL,
        owner_id     TEXT REFERENCES users (id),
        member_count INTEGER NOT NULL DEFAULT 0,
        last_seq     ${t.int64} NOT NULL DEFAULT 0,
        created_at   TEXT NOT NULL
      )${t.fillfactor(50)};
      CREATE INDEX rooms_kind ON rooms (kind);

      CREATE TABLE memberships (
        room_id       TEXT NOT NULL REFERENCES rooms (id),
        user_id       TEXT NOT NULL REFERENCES users (id),
        last_read_seq ${t.int64} NOT NULL DEFAULT 0,
        joined_at     TEXT NOT NULL,
        PRIMARY KEY (room_id, user_id)
      )${t.fillfactor(70)};
      CREATE INDEX memberships_user_id ON memberships (user_id);

      CREATE TABLE invitations (
        room_id    TEXT NOT NULL REFERENCES rooms (id),
        user_id    TEXT NOT NULL REFERENCES users (id),
        invited_by TEXT NOT NULL REFERENCES users (id),
        created_at TEXT NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );

      CREATE TABLE messages (
        id            TEXT PRIMARY KEY,
        room_id       TEXT NOT NULL REFERENCES rooms (id),
        seq           ${t.int64} NOT NULL,
        author_id     TEXT NOT NULL REFERENCES users (id),
        client_msg_id TEXT NOT NULL,
        text          TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        CONSTRAINT messages_room_seq UNIQUE (room_id, seq),
        CONSTRAINT messages_idempotency UNIQUE (room_id, author_id, client_msg_id)
      );
    `,
  },
  {
    version: 2,
    name: 'change stream, edits, reactions and threads',
    // Columns are added (SQLite cannot add a NOT NULL column without a default, nor drop one
    // later), so rev keeps a DEFAULT 0 no insert relies on. Existing messages get rev = seq and
    // rooms last_rev = last_seq: every room's revs stay 1..N, gapless, and the unique index
    // (room_id, rev) holds from the start. Reactions are one JSON column,
    // [{ "emoji", "userIds" }] in first-use order, so a history page reads no other table.
    sql: (t) => `
      ALTER TABLE rooms ADD COLUMN last_rev ${t.int64} NOT NULL DEFAULT 0;
      ALTER TABLE rooms ADD COLUMN topic TEXT NOT NULL DEFAULT '';
      UPDATE rooms SET last_rev = last_seq;

      ALTER TABLE messages ADD COLUMN rev ${t.int64} NOT NULL DEFAULT 0;
      ALTER TABLE messages ADD COLUMN edited_at TEXT;
      ALTER TABLE messages ADD COLUMN deleted_at TEXT;
      ALTER TABLE messages ADD COLUMN thread_root_id TEXT REFERENCES messages (id);
      ALTER TABLE messages ADD COLUMN reply_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE messages ADD COLUMN last_reply_at TEXT;
      ALTER TABLE messages ADD COLUMN last_reply_seq ${t.int64};
      ALTER TABLE messages ADD COLUMN reactions TEXT NOT NULL DEFAULT '[]';
      UPDATE messages SET rev = seq;
      CREATE UNIQUE INDEX messages_room_rev ON messages (room_id, rev);
      CREATE INDEX messages_thread_seq ON messages (thread_root_id, seq) WHERE thread_root_id IS NOT NULL;
      CREATE INDEX messages_top_level_seq ON messages (room_id, seq) WHERE thread_root_id IS NULL;

      CREATE TABLE message_versions (
        message_id TEXT NOT NULL REFERENCES messages (id),
        n          INTEGER NOT NULL,
        text       TEXT NOT NULL,
        set_at     TEXT NOT NULL,
        PRIMARY KEY (message_id, n)
      );

      CREATE TABLE thread_reads (
        room_id        TEXT NOT NULL REFERENCES rooms (id),
        thread_root_id TEXT NOT NULL REFERENCES messages (id),
        user_id        TEXT NOT NULL REFERENCES users (id),
        last_read_seq  ${t.int64} NOT NULL DEFAULT 0,
        PRIMARY KEY (thread_root_id, user_id)
      );
    `,
  },
];

/** The migrations in this dialect's SQL, in the order they apply. */
export function migrationsFor(dialect: Dialect): ReadonlyArray<Migration> {
  const terms = TERMS[dialect];
  return MIGRATIONS.map(({ version, name, sql }) => ({ version, name, sql: sql(terms) }));
}
