import { toMessage, toStoredMessage, type MessageRow, type StoredMessageRow } from '../rows.js';
import type { MessageRecord, MessageRepository, NewMessage } from '../storage.js';
import { StorageUnavailableError } from '../errors.js';
import { hasNul, isUniqueViolationOf, statement, type Db } from './db.js';

type AppendResult = { message: MessageRecord; created: boolean };

// The author is known to the caller: no join on the write path.
const EXISTING = statement(
  'messages.existing',
  'SELECT id, seq, text, created_at FROM messages WHERE room_id = $1 AND author_id = $2 AND client_msg_id = $3',
);
// The row lock taken here serializes the writers of one room, on every node, until COMMIT; a
// rollback gives the number back, so seqs have no gaps.
const NEXT_SEQ = statement('messages.nextSeq', 'UPDATE rooms SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq');
// Insert and read marker in one round trip, to hold the room's lock for as short as possible.
const INSERT = statement(
  'messages.insert',
  `WITH inserted AS (
     INSERT INTO messages (id, room_id, seq, author_id, client_msg_id, text, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
   )
   UPDATE memberships SET last_read_seq = GREATEST(last_read_seq, $3) WHERE room_id = $2 AND user_id = $4`,
);

const COLUMNS = 'm.id, m.room_id, m.seq, m.author_id, u.username, m.text, m.client_msg_id, m.created_at';
/**
 * Keyset pages on the (room_id, seq) unique index (messages_room_seq): the inner query picks the
 * page from the index alone, the join adds usernames to those rows only, the outer ORDER BY
 * makes it ascending. Exported for the plan test (test/storage/postgres.test.ts).
 */
export const HISTORY = {
  newest: statement(
    'messages.newest',
    `SELECT ${COLUMNS}
       FROM (SELECT * FROM messages WHERE room_id = $1 ORDER BY seq DESC LIMIT $2) m
       JOIN users u ON u.id = m.author_id
      ORDER BY m.seq`,
  ),
  before: statement(
    'messages.before',
    `SELECT ${COLUMNS}
       FROM (SELECT * FROM messages WHERE room_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3) m
       JOIN users u ON u.id = m.author_id
      ORDER BY m.seq`,
  ),
  after: statement(
    'messages.after',
    `SELECT ${COLUMNS}
       FROM (SELECT * FROM messages WHERE room_id = $1 AND seq > $2 ORDER BY seq LIMIT $3) m
       JOIN users u ON u.id = m.author_id
      ORDER BY m.seq`,
  ),
};

export function createPostgresMessageRepository(db: Db): MessageRepository {
  const original = (message: NewMessage, row: StoredMessageRow): AppendResult => ({
    message: toStoredMessage(message, row),
    created: false,
  });

  /** One append, one transaction: look-up, seq, insert, read marker, COMMIT. */
  const appendOne = async (message: NewMessage): Promise<AppendResult> => {
    const { id, roomId, author, clientMsgId, text, createdAt } = message;
    const key = [roomId, author.id, clientMsgId];
    try {
      return await db.transaction(async (tx) => {
        const existing = (await tx.query<StoredMessageRow>(EXISTING, key)).rows[0];
        if (existing) return original(message, existing);
        const next = (await tx.query<{ last_seq: string }>(NEXT_SEQ, [roomId])).rows[0];
        if (!next) throw new StorageUnavailableError('room does not exist');
        const seq = Number(next.last_seq);
        await tx.query(INSERT, [id, roomId, seq, author.id, clientMsgId, text, createdAt]);
        return { message: { id, roomId, seq, author, text, clientMsgId, createdAt }, created: true };
      });
    } catch (error) {
      // Another node stored the same (room, author, clientMsgId) between our look-up and our
      // insert. Our transaction rolled back, the seq it took with it: answer with theirs.
      if (!isUniqueViolationOf(error, 'messages_idempotency')) throw error;
      const winner = (await db.query<StoredMessageRow>(EXISTING, key)).rows[0];
      if (!winner) throw error;
      return original(message, winner);
    }
  };

  // Appends to one room from this process run one after another, in call order: seqs follow the
  // order of the calls (as with SQLite's queue), a repeated clientMsgId finds the first one
  // stored, and a busy room holds one pooled connection instead of queueing them all on its lock.
  // Rooms proceed in parallel.
  const tails = new Map<string, Promise<void>>();
  const append = (message: NewMessage): Promise<AppendResult> => {
    const { roomId } = message;
    const result = (tails.get(roomId) ?? Promise.resolve()).then(() => appendOne(message));
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
    append,
    history: async (roomId, query) => {
      if (hasNul(roomId)) return [];
      const { rows } =
        query.after !== undefined
          ? await db.query<MessageRow>(HISTORY.after, [roomId, query.after, query.limit])
          : query.before !== undefined
            ? await db.query<MessageRow>(HISTORY.before, [roomId, query.before, query.limit])
            : await db.query<MessageRow>(HISTORY.newest, [roomId, query.limit]);
      return rows.map(toMessage);
    },
  };
}
