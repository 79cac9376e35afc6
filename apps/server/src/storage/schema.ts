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

import { BLOB_TABLES, FILES_MIGRATION } from './schema.files.js';
import { SEARCH_BACKLOG, SEARCH_BACKLOG_MIGRATION } from './schema.search.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** What the DDL below may vary by dialect; everything else in it is written once. */
export interface DialectTerms {
  /** A 64-bit integer column type (seqs, revs, read markers). */
  int64: string;
  /**
   * Follows TEXT where text must sort by bytes, as SQLite's BINARY does: PostgreSQL's
   * COLLATE "C", whatever the database locale; a unique index on it then serves `LIKE 'prefix%'`.
   */
  bytewise: string;
  /** Table storage parameters after `CREATE TABLE (...)`: free space per page keeps updates HOT. */
  fillfactor(percent: number): string;
  /** The index of migration 3 over messages' current text: each engine has its own (see SEARCH_INDEX). */
  searchIndex: string;
  /** Migration 6: the tables of the engine's own BlobStore (PostgreSQL's chunks; SQLite's blobs are files on disk). */
  blobTables: string;
  /** Migration 7: SQLite's search index filled in batches (schema.search.ts); nothing on PostgreSQL. */
  searchBacklog: string;
}

/**
 * Full-text search over current message texts (issue 15): a case-insensitive substring index
 * in any script, kept in the transaction of every insert, edit and delete.
 * - SQLite: an FTS5 table with the trigram tokenizer, external content on messages (keyed by
 *   messages' rowid, so it stores only the index), kept by triggers on insert, on an UPDATE of
 *   text (edits; deletes blank the text) and on delete; filled from existing rows by 'rebuild'.
 *   messages has no INTEGER PRIMARY KEY, so a VACUUM may renumber its rowids: run
 *   `INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')` after one.
 * - PostgreSQL: pg_trgm's GIN index on lower(text), which serves `lower(text) LIKE '%…%'`. The
 *   extension is created once per database, in public (a schema of Parley's own may be dropped,
 *   and must not take the extension with it); its operator class is named through the schema
 *   it is in, whichever that is. Two schemas migrating at once may race to create it: the loser
 *   finds it made.
 */
const SEARCH_INDEX: Readonly<Record<Dialect, string>> = {
  sqlite: `
      CREATE VIRTUAL TABLE messages_fts USING fts5 (text, content = 'messages', content_rowid = 'rowid', tokenize = 'trigram');
      INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
      END;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
      END;
    `,
  postgres: `
      DO $search$
      DECLARE trgm_schema name;
      BEGIN
        BEGIN
          CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
        EXCEPTION WHEN unique_violation THEN
          NULL;
        END;
        SELECT n.nspname INTO trgm_schema
          FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
        EXECUTE format('CREATE INDEX messages_text_trgm ON messages USING gin (lower(text) %I.gin_trgm_ops)', trgm_schema);
      END
      $search$;
    `,
};

const TERMS: Readonly<Record<Dialect, DialectTerms>> = {
  sqlite: {
    int64: 'INTEGER',
    bytewise: '',
    fillfactor: () => '',
    searchIndex: SEARCH_INDEX.sqlite,
    blobTables: BLOB_TABLES.sqlite,
    searchBacklog: SEARCH_BACKLOG.sqlite,
  },
  postgres: {
    int64: 'BIGINT',
    bytewise: ' COLLATE "C"',
    fillfactor: (percent) => ` WITH (fillfactor = ${percent})`,
    searchIndex: SEARCH_INDEX.postgres,
    blobTables: BLOB_TABLES.postgres,
    searchBacklog: SEARCH_BACKLOG.postgres,
  },
};

export interface MigrationSource {
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
  {
    version: 3,
    name: 'message search',
    sql: (t) => t.searchIndex,
  },
  {
    version: 4,
    name: 'mentions, followed threads and mute',
    // Mentions are rows (the badges count them above a read marker) and a JSON column of user ids
    // on the message (the wire shape, so a history page reads no other table), written together.
    // A thread is followed through a thread_reads row with following = 1; a v2 database gets the
    // follows its threads already imply (root and reply authors who are still members), read up
    // to the thread's last reply: nobody is told of replies made before they could be.
    sql: (t) => `
      ALTER TABLE messages ADD COLUMN mentions TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE memberships ADD COLUMN muted INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE thread_reads ADD COLUMN following INTEGER NOT NULL DEFAULT 0;

      CREATE TABLE message_mentions (
        room_id    TEXT NOT NULL REFERENCES rooms (id),
        message_id TEXT NOT NULL REFERENCES messages (id),
        seq        ${t.int64} NOT NULL,
        user_id    TEXT NOT NULL REFERENCES users (id),
        PRIMARY KEY (message_id, user_id)
      );
      CREATE INDEX message_mentions_user_room_seq ON message_mentions (user_id, room_id, seq);
      CREATE INDEX thread_reads_followed ON thread_reads (user_id, room_id) WHERE following = 1;

      INSERT INTO thread_reads (room_id, thread_root_id, user_id, last_read_seq, following)
      SELECT f.room_id, f.root_id, f.user_id, COALESCE(root.last_reply_seq, 0), 1
        FROM (SELECT room_id, thread_root_id AS root_id, author_id AS user_id FROM messages WHERE thread_root_id IS NOT NULL
              UNION
              SELECT reply.room_id, reply.thread_root_id, root.author_id
                FROM messages reply JOIN messages root ON root.id = reply.thread_root_id) f
        JOIN messages root ON root.id = f.root_id
        JOIN memberships ms ON ms.room_id = f.room_id AND ms.user_id = f.user_id
       WHERE true
      ON CONFLICT (thread_root_id, user_id) DO UPDATE SET following = 1;
    `,
  },
  {
    version: 5,
    name: 'roles, bans, display names and deleted accounts',
    // Roles live on memberships: a room's creator (rooms.owner_id, still kept) is its owner; DMs have
    // members only. memberships.username copies the member's username (never changed, also not by
    // deleting the account) so room:members pages a room of any size in (room_id, username) order
    // from one index. A ban is a row; joining checks it in the same statement that adds the member.
    // A deleted account keeps its row (its username stays taken, its messages keep their author):
    // deleted_at set, password hash blanked.
    sql: (t) => `
      ALTER TABLE memberships ADD COLUMN role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member'));
      ALTER TABLE memberships ADD COLUMN username TEXT${t.bytewise} NOT NULL DEFAULT '';
      UPDATE memberships SET role = 'owner'
       WHERE EXISTS (SELECT 1 FROM rooms r WHERE r.id = memberships.room_id AND r.owner_id = memberships.user_id AND r.kind <> 'dm');
      UPDATE memberships SET username = (SELECT u.username FROM users u WHERE u.id = memberships.user_id);
      CREATE INDEX memberships_room_username ON memberships (room_id, username);

      CREATE TABLE room_bans (
        room_id    TEXT NOT NULL REFERENCES rooms (id),
        user_id    TEXT NOT NULL REFERENCES users (id),
        banned_by  TEXT NOT NULL REFERENCES users (id),
        created_at TEXT NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );

      ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
      ALTER TABLE users ADD COLUMN deleted_at TEXT;
    `,
  },
  FILES_MIGRATION,
  SEARCH_BACKLOG_MIGRATION,
];

/** The migrations in this dialect's SQL, in the order they apply. */
export function migrationsFor(dialect: Dialect): ReadonlyArray<Migration> {
  const terms = TERMS[dialect];
  return MIGRATIONS.map(({ version, name, sql }) => ({ version, name, sql: sql(terms) }));
}
