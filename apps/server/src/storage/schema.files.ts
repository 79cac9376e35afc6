import type { Dialect, MigrationSource } from './schema.js';

/**
 * Migration 6 (issue 17, files in conversations), part of the schema written once in schema.ts.
 *
 * - `files`: one row per stored upload; `message_id` (and its `position` in the message) once it
 *   is sent. The rows are the source of truth for who may fetch a file. Indexes: the rows of a
 *   message (delete), and the unsent rows by age (the sweep of uploads never sent).
 * - `messages.files`: the message's files as JSON, `[{ id, name, size, type, width, height }]` in
 *   the order sent, written in append's transaction and blanked by delete, so a history page
 *   reads no other table (as reactions and mentions).
 * - `upload_days`: bytes uploaded per user and UTC day, the quota ledger. It never goes down when
 *   files are deleted, so deleting cannot refill a day's quota.
 * - The engine's BlobStore tables (BLOB_TABLES): none on SQLite (the bytes are files under
 *   DATA_DIR/files); on PostgreSQL, 256 KiB `bytea` chunks written under a fresh upload key,
 *   made visible under their blob key by one `file_blobs` row once every chunk is stored.
 */
// Chunks are stored EXTERNAL (out of line, uncompressed): most uploads (images, PDFs, archives) are
// compressed already. A put's chunks with no file_blobs row are an upload in progress or a failed one
// (found by the sweep through the first chunk's created_at).
export const BLOB_TABLES: Readonly<Record<Dialect, string>> = {
  sqlite: '',
  postgres: `
      CREATE TABLE file_chunks (
        key        TEXT NOT NULL,
        n          INTEGER NOT NULL,
        data       BYTEA NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (key, n)
      );
      ALTER TABLE file_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
      CREATE INDEX file_chunks_first_created_at ON file_chunks (created_at) WHERE n = 0;

      CREATE TABLE file_blobs (
        key        TEXT PRIMARY KEY,
        upload_key TEXT NOT NULL UNIQUE,
        size       BIGINT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX file_blobs_created_at ON file_blobs (created_at);
    `,
};

export const FILES_MIGRATION: MigrationSource = {
  version: 6,
  name: 'files',
  sql: (t) => `
      ALTER TABLE messages ADD COLUMN files TEXT NOT NULL DEFAULT '[]';

      CREATE TABLE files (
        id            TEXT PRIMARY KEY,
        room_id       TEXT NOT NULL REFERENCES rooms (id),
        uploader_id   TEXT NOT NULL REFERENCES users (id),
        name          TEXT NOT NULL,
        type          TEXT NOT NULL,
        size          ${t.int64} NOT NULL,
        width         INTEGER,
        height        INTEGER,
        has_thumbnail INTEGER NOT NULL DEFAULT 0,
        created_at    TEXT NOT NULL,
        message_id    TEXT REFERENCES messages (id),
        position      INTEGER
      );
      CREATE INDEX files_message_id ON files (message_id) WHERE message_id IS NOT NULL;
      CREATE INDEX files_unsent_created_at ON files (created_at) WHERE message_id IS NULL;

      CREATE TABLE upload_days (
        user_id TEXT NOT NULL REFERENCES users (id),
        day     TEXT NOT NULL,
        bytes   ${t.int64} NOT NULL,
        PRIMARY KEY (user_id, day)
      );
      ${t.blobTables}
    `,
};
