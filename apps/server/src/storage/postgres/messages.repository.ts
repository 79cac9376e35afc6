import { AUTHOR_COLUMNS, MESSAGE_COLUMNS, toMessage, type MessageRow } from '../rows.js';
import type { MessageRepository } from '../storage.js';
import { hasNul, statement, type Db } from './db.js';
import { createPostgresMessageWrites, FIND } from './message-writes.js';

/**
 * Keyset pages of history by seq: the inner query picks the page from an index alone, the join
 * adds usernames to those rows only, the outer ORDER BY makes it ascending. Per scope: the room
 * ($1) through messages_room_seq; its top-level messages through the partial
 * messages_top_level_seq; one thread's ($2) replies through the partial messages_thread_seq.
 * Exported for the plan test (test/storage/postgres.plans.test.ts).
 */
const pages = (scope: string, where: string, scopeParams: number) => {
  const [bound, limit] = [`$${scopeParams + 1}`, `$${scopeParams + 2}`];
  const page = (name: string, filter: string, order: 'ASC' | 'DESC', limitParam: string) =>
    statement(
      `messages.${scope}.${name}`,
      `SELECT ${MESSAGE_COLUMNS}, ${AUTHOR_COLUMNS}
         FROM (SELECT * FROM messages WHERE ${where}${filter} ORDER BY seq ${order} LIMIT ${limitParam}) m
         JOIN users u ON u.id = m.author_id
        ORDER BY m.seq`,
    );
  return {
    newest: page('newest', '', 'DESC', bound),
    before: page('before', ` AND seq < ${bound}`, 'DESC', limit),
    after: page('after', ` AND seq > ${bound}`, 'ASC', limit),
  };
};
export const HISTORY = {
  room: pages('room', 'room_id = $1', 1),
  topLevel: pages('topLevel', 'room_id = $1 AND thread_root_id IS NULL', 1),
  thread: pages('thread', 'thread_root_id = $2 AND room_id = $1', 2),
};

/**
 * A keyset page of changes on the (room_id, rev) unique index (messages_room_rev), limit $3, and
 * the room's last rev: one statement, so one snapshot. A room without changes after $2 gives one
 * row of nulls beside its last rev; a missing room, no row.
 */
export const CHANGES = statement(
  'messages.changes',
  `SELECT r.last_rev AS room_last_rev, c.*
     FROM rooms r
     LEFT JOIN LATERAL (
       SELECT ${MESSAGE_COLUMNS}, ${AUTHOR_COLUMNS}
         FROM (SELECT * FROM messages WHERE room_id = r.id AND rev > $2 ORDER BY rev LIMIT $3) m
         JOIN users u ON u.id = m.author_id
     ) c ON true
    WHERE r.id = $1
    ORDER BY c.rev`,
);

// Earlier texts by n, then the current one; nothing for a deleted message or one of another room.
const VERSIONS = statement(
  'messages.versions',
  `SELECT v.text, v.set_at AS edited_at, v.n
     FROM messages m JOIN message_versions v ON v.message_id = m.id
    WHERE m.id = $2 AND m.room_id = $1 AND m.deleted_at IS NULL
   UNION ALL
   SELECT m.text, COALESCE(m.edited_at, m.created_at), NULL
     FROM messages m WHERE m.id = $2 AND m.room_id = $1 AND m.deleted_at IS NULL
   ORDER BY n NULLS LAST`,
);

// Forward only, clamped to the room's last seq; only for a top-level message of the room.
const MARK_THREAD_READ = statement(
  'messages.markThreadRead',
  `INSERT INTO thread_reads (room_id, thread_root_id, user_id, last_read_seq)
   SELECT m.room_id, m.id, $3, LEAST($4::bigint, r.last_seq) FROM messages m JOIN rooms r ON r.id = m.room_id
    WHERE m.id = $2 AND m.room_id = $1 AND m.thread_root_id IS NULL
   ON CONFLICT (thread_root_id, user_id) DO UPDATE SET last_read_seq = GREATEST(thread_reads.last_read_seq, EXCLUDED.last_read_seq)
   RETURNING last_read_seq`,
);

type ChangesRow = MessageRow & { room_last_rev: string };

export function createPostgresMessageRepository(db: Db): MessageRepository {
  const writes = createPostgresMessageWrites(db);

  // The writes to one room from this process run one after another, in call order: seqs and
  // revs follow the order of the calls (as with SQLite's queue), a repeated clientMsgId finds
  // the first one stored, and a busy room holds one pooled connection instead of queueing them
  // all on its lock. Rooms proceed in parallel.
  const tails = new Map<string, Promise<void>>();
  const inOrder = <T>(roomId: string, write: () => Promise<T>): Promise<T> => {
    const result = (tails.get(roomId) ?? Promise.resolve()).then(write);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(roomId, tail);
    void tail.then(() => {
      if (tails.get(roomId) === tail) tails.delete(roomId);
    });
    return result;
  };

  return {
    append: (message) => inOrder(message.roomId, () => writes.append(message)),
    edit: (edit) => inOrder(edit.roomId, () => writes.edit(edit)),
    delete: (target) => inOrder(target.roomId, () => writes.delete(target)),
    setReaction: (reaction) => inOrder(reaction.roomId, () => writes.setReaction(reaction)),

    find: async (roomId, messageId) => {
      if (hasNul(roomId, messageId)) return null;
      const row = (await db.query<MessageRow>(FIND, [messageId, roomId])).rows[0];
      return row ? toMessage(row) : null;
    },

    versions: async (roomId, messageId) => {
      if (hasNul(roomId, messageId)) return [];
      const { rows } = await db.query<{ text: string; edited_at: string }>(VERSIONS, [roomId, messageId]);
      return rows.map((v) => ({ text: v.text, editedAt: v.edited_at }));
    },

    changes: async (roomId, afterRev, limit) => {
      if (hasNul(roomId)) return { messages: [], lastRev: 0, more: false };
      const { rows } = await db.query<ChangesRow>(CHANGES, [roomId, afterRev, limit + 1]);
      const found = rows.filter((row) => row.id !== null);
      const more = found.length > limit;
      const messages = found.slice(0, limit).map(toMessage);
      return { messages, more, lastRev: more ? messages.at(-1)!.rev : Number(rows[0]?.room_last_rev ?? 0) };
    },

    history: async (roomId, { threadRootId, topLevel, before, after, limit }) => {
      if (hasNul(roomId, threadRootId ?? '')) return [];
      const pages = threadRootId !== undefined ? HISTORY.thread : topLevel ? HISTORY.topLevel : HISTORY.room;
      const scope = threadRootId !== undefined ? [roomId, threadRootId] : [roomId];
      const [page, values] =
        after !== undefined
          ? [pages.after, [...scope, after, limit]]
          : before !== undefined
            ? [pages.before, [...scope, before, limit]]
            : [pages.newest, [...scope, limit]];
      return (await db.query<MessageRow>(page, values)).rows.map(toMessage);
    },

    markThreadRead: async (roomId, threadRootId, userId, seq) => {
      if (hasNul(roomId, threadRootId, userId)) return 0;
      const row = (await db.query<{ last_read_seq: string }>(MARK_THREAD_READ, [roomId, threadRootId, userId, seq])).rows[0];
      return row ? Number(row.last_read_seq) : 0;
    },
  };
}
