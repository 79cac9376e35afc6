import type { RoomKind } from '@parley/protocol';
import { AUTHOR_COLUMNS, MESSAGE_COLUMNS, toMessage, type MessageRow } from '../rows.js';
import type { SearchHitRecord, SearchRepository } from '../storage.js';
import { statement, type Db } from './db.js';

interface SearchRow extends MessageRow {
  room_name: string;
  room_kind: RoomKind;
}

const toSearchHit = (row: SearchRow): SearchHitRecord => ({
  message: toMessage(row),
  room: { id: row.room_id, name: row.room_name, kind: row.room_kind },
});

/**
 * The matches of `lower(text) LIKE '%' || lower($2) || '%'` come from pg_trgm's GIN index
 * messages_text_trgm (schema.ts, migration 3; the LIKE rechecks every candidate), only in rooms
 * the user ($1) is a member of, newest first by (created_at, id), at most $4; $3 narrows to one
 * room. With a `before` ($5), only messages older than that one; none if it names no message.
 * Exported for the plan test (test/storage/postgres.search-plan.test.ts).
 */
const searchSql = (before: string) => `
  SELECT ${MESSAGE_COLUMNS}, ${AUTHOR_COLUMNS}, r.name AS room_name, r.kind AS room_kind
    FROM messages m
    JOIN memberships ms ON ms.room_id = m.room_id AND ms.user_id = $1
    JOIN rooms r ON r.id = m.room_id
    JOIN users u ON u.id = m.author_id
   WHERE lower(m.text) LIKE '%' || lower($2) || '%' AND m.deleted_at IS NULL
     AND ($3::text IS NULL OR m.room_id = $3)${before}
   ORDER BY m.created_at DESC, m.id DESC
   LIMIT $4`;
export const SEARCH = {
  newest: statement('search.newest', searchSql('')),
  before: statement(
    'search.before',
    searchSql(`
     AND (m.created_at, m.id) < (SELECT b.created_at, b.id FROM messages b WHERE b.id = $5)`),
  ),
};

/** `text` as a LIKE pattern that matches it literally: the escape character (backslash), % and _ escaped. */
export const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function createPostgresSearchRepository(db: Db): SearchRepository {
  return {
    messages: async ({ userId, text, roomId, before, limit }) => {
      const params = [userId, likeLiteral(text), roomId ?? null, limit];
      const { rows } =
        before === undefined
          ? await db.query<SearchRow>(SEARCH.newest, params)
          : await db.query<SearchRow>(SEARCH.before, [...params, before]);
      return rows.map(toSearchHit);
    },
  };
}
