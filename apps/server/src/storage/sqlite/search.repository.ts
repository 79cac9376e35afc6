import { AUTHOR_COLUMNS, MESSAGE_COLUMNS, toMessage, type MessageRow } from '../rows.js';
import type { RoomKind } from '@parley/protocol';
import type { SearchHitRecord, SearchRepository } from '../storage.js';
import { run, type Db } from './db.js';
import type { SearchIndexer } from './search-index.js';

/** A match with its author's username and its room's stored name and kind. */
export interface SearchRow extends MessageRow {
  room_name: string;
  room_kind: RoomKind;
}

export const toSearchHit = (row: SearchRow): SearchHitRecord => ({
  message: toMessage(row),
  room: { id: row.room_id, name: row.room_name, kind: row.room_kind },
});

/**
 * FTS5 (schema.ts, migration 3; filled in batches since migration 7, schema.search.ts) finds the matches newest first, walking the trigram index by
 * messages' rowid (insertion order, which is seq order in every room) downwards from the
 * `before` bound, and stops at `limit`: no sort. CROSS JOIN keeps that index the outer loop;
 * membership, room and author are looked up for each match by primary key.
 * Exported for the plan test (test/storage/sqlite.search-plan.test.ts).
 */
export const SEARCH_SQL = `
  SELECT ${MESSAGE_COLUMNS}, ${AUTHOR_COLUMNS}, r.name AS room_name, r.kind AS room_kind
    FROM messages_fts f
    CROSS JOIN messages m ON m.rowid = f.rowid
    CROSS JOIN memberships ms ON ms.room_id = m.room_id AND ms.user_id = @userId
    CROSS JOIN rooms r ON r.id = m.room_id
    CROSS JOIN users u ON u.id = m.author_id
   WHERE messages_fts MATCH @match AND f.rowid < @bound
     AND m.deleted_at IS NULL AND (@roomId IS NULL OR m.room_id = @roomId)
   ORDER BY f.rowid DESC
   LIMIT @limit`;

/**
 * `text` as one FTS5 phrase: inside double quotes every character is literal (a quote doubled),
 * so operators (NEAR, AND, *, ^, column filters) are searched as text. The trigram tokenizer
 * makes the phrase match any substring, case-folded.
 */
export const ftsPhrase = (text: string): string => `"${text.replaceAll('"', '""')}"`;

/** Above every rowid: no `before`. */
const NO_BOUND = Number.MAX_SAFE_INTEGER;

type SearchParams = { userId: string; match: string; bound: number; roomId: string | null; limit: number };

export function createSqliteSearchRepository(db: Db, indexer: SearchIndexer): SearchRepository {
  const search = db.prepare<SearchParams, SearchRow>(SEARCH_SQL);
  const rowidOf = db.prepare<[string], number>('SELECT rowid FROM messages WHERE id = ?').pluck();
  return {
    messages: ({ userId, text, roomId, before, limit }) =>
      run(() => {
        // What was sent a moment ago may not be indexed yet (migration 7): index it first.
        indexer.catchUp();
        const bound = before === undefined ? NO_BOUND : rowidOf.get(before);
        if (bound === undefined) return [];
        return search.all({ userId, match: ftsPhrase(text), bound, roomId: roomId ?? null, limit }).map(toSearchHit);
      }),
  };
}
