import { AUTHOR_COLUMNS, MESSAGE_COLUMNS, toMessage, type MessageRow } from '../rows.js';
import type { MessageRepository } from '../storage.js';
import { hasNul, statement, toStorageError, type Db, type Queryable } from './db.js';
import { createPostgresMessageWrites, FIND, isPlain } from './message-writes.js';

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

// A batch's writes each run in a savepoint: a failing one undoes itself only.
const SAVEPOINT = statement('savepoint', 'SAVEPOINT parley_write');
const UNDO = statement('rollbackToSavepoint', 'ROLLBACK TO SAVEPOINT parley_write');
/**
 * The rooms of a batch that writes to several, locked before any write and in one order (bytewise
 * by id; the lock is taken row by row as the sort returns them): two batches sharing rooms, on two
 * nodes, queue on the first room they share and never deadlock. Every other writer locks one room.
 */
export const LOCK_ROOMS = statement(
  'messages.lockRooms',
  'SELECT id FROM rooms WHERE id = ANY ($1::text[]) ORDER BY id COLLATE "C" FOR NO KEY UPDATE',
);
/** At most this many writes share a transaction (and its rooms' locks); below PostgreSQL's 64 cached subtransactions. */
export const MAX_BATCH = 32;

interface Pending {
  roomId: string;
  /** A single statement: alone in its batch it runs without BEGIN/COMMIT, as its own transaction. */
  single: boolean;
  run: (tx: Queryable) => Promise<unknown>;
  /** After the write was undone: an answer anyway (an idempotent append's twin), or the error rethrown. */
  recover: (q: Queryable, error: unknown) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export function createPostgresMessageRepository(db: Db): MessageRepository {
  const writes = createPostgresMessageWrites();

  // Group commit, as SQLite's queue (sqlite/messages.repository.ts): the writes that arrive in the
  // same event-loop turn share one transaction, each in a savepoint, and one COMMIT (one WAL flush);
  // nothing resolves before it. A room's writes run one after another, in call order: a room with
  // a batch in flight keeps its next writes queued until that batch ends (seqs and revs follow the
  // calls, a repeated clientMsgId finds the first one stored, and a busy room holds one pooled
  // connection instead of queueing them all on its lock). Batches of other rooms run in parallel.
  let queue: Pending[] = [];
  const inFlight = new Set<string>();
  let scheduled = false;
  const schedule = () => {
    if (scheduled || queue.length === 0) return;
    scheduled = true;
    setImmediate(flush);
  };

  const runOne = async (p: Pending) => {
    try {
      return await (p.single ? p.run(db) : db.transaction(p.run));
    } catch (error) {
      return p.recover(db, error);
    }
  };

  const runMany = (batch: Pending[]) =>
    db.transaction(async (tx) => {
      const rooms = [...new Set(batch.map((p) => p.roomId))].filter((id) => !hasNul(id));
      if (rooms.length > 1) await tx.query(LOCK_ROOMS, [rooms]);
      const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
      for (const p of batch) {
        await tx.query(SAVEPOINT);
        try {
          outcomes.push({ ok: true, value: await p.run(tx) });
        } catch (error) {
          // A failure to roll back fails the batch (the connection is gone): nothing commits.
          await tx.query(UNDO);
          try {
            outcomes.push({ ok: true, value: await p.recover(tx, error) });
          } catch (failure) {
            await tx.query(UNDO);
            outcomes.push({ ok: false, error: toStorageError(failure) });
          }
        }
      }
      return outcomes;
    });

  const flush = () => {
    scheduled = false;
    const batch: Pending[] = [];
    const waiting: Pending[] = [];
    const held = new Set<string>();
    for (const p of queue) {
      if (inFlight.has(p.roomId) || held.has(p.roomId) || batch.length >= MAX_BATCH) {
        held.add(p.roomId);
        waiting.push(p);
      } else batch.push(p);
    }
    queue = waiting;
    if (batch.length === 0) return;
    const rooms = new Set(batch.map((p) => p.roomId));
    for (const room of rooms) inFlight.add(room);
    const done =
      batch.length === 1
        ? runOne(batch[0]!).then(batch[0]!.resolve, batch[0]!.reject)
        : runMany(batch).then(
            (outcomes) =>
              outcomes.forEach((outcome, i) => {
                if (outcome.ok) batch[i]!.resolve(outcome.value);
                else batch[i]!.reject(outcome.error);
              }),
            (error) => batch.forEach((p) => p.reject(error)),
          );
    void done.finally(() => {
      for (const room of rooms) inFlight.delete(room);
      schedule();
    });
    schedule();
  };

  const enqueue = <T>(
    roomId: string,
    run: (tx: Queryable) => Promise<T>,
    options: { single?: boolean; recover?: (q: Queryable, error: unknown) => Promise<T> } = {},
  ): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({
        roomId,
        single: options.single ?? false,
        run,
        recover: options.recover ?? ((_, error) => Promise.reject(error)),
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      schedule();
    });

  return {
    append: (message) =>
      enqueue(message.roomId, (tx) => writes.append(tx, message), {
        single: isPlain(message),
        recover: (q, error) => writes.recoverAppend(q, message, error),
      }),
    edit: (edit) => enqueue(edit.roomId, (tx) => writes.edit(tx, edit)),
    delete: (target) => enqueue(target.roomId, (tx) => writes.delete(tx, target)),
    setReaction: (reaction) => enqueue(reaction.roomId, (tx) => writes.setReaction(tx, reaction)),

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
