import type { Dialect, MigrationSource } from './schema.js';

/**
 * Migration 7 (issue 18): SQLite's search index off the write path.
 *
 * Migration 3 indexed every message by trigger, in the transaction of its insert: with one message
 * per group commit (moderate rates) that cost ~90 us per message, FTS5 writing a segment for each;
 * indexed in batches it costs ~7-12 us a row. So an insert no longer indexes: `search_indexed.up_to`
 * is the rowid up to which messages are in `messages_fts`, and sqlite/search-index.ts indexes the
 * rows above it a batch at a time (every 100 ms, and before every search, so a search still finds
 * what was sent a moment ago). An edit or delete changes the index only for a row already in it
 * (the WHEN clause): a row above `up_to` is indexed later with its current text. Messages are
 * never hard-deleted (deletes are tombstones), so rowids only grow and `up_to` stays exact.
 *
 * PostgreSQL's pg_trgm GIN index (migration 3) is kept by the index itself (its pending list
 * batches insertions already): nothing changes there.
 */
export const SEARCH_BACKLOG: Readonly<Record<Dialect, string>> = {
  sqlite: `
      DROP TRIGGER messages_fts_insert;
      DROP TRIGGER messages_fts_update;
      DROP TRIGGER messages_fts_delete;
      CREATE TABLE search_indexed (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        up_to INTEGER NOT NULL
      );
      INSERT INTO search_indexed (id, up_to) SELECT 1, coalesce(max(rowid), 0) FROM messages;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages
        WHEN old.rowid <= (SELECT up_to FROM search_indexed) BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
        WHEN old.rowid <= (SELECT up_to FROM search_indexed) BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
      END;
    `,
  postgres: `
      SELECT 1;
    `,
};

export const SEARCH_BACKLOG_MIGRATION: MigrationSource = {
  version: 7,
  name: 'search index off the write path',
  sql: (t) => t.searchBacklog,
};
