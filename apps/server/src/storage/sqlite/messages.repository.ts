import { toMessage, toStoredMessage, type MessageRow, type StoredMessageRow } from '../rows.js';
import type { MessageRecord, MessageRepository, NewMessage } from '../storage.js';
import { run, toStorageError, type Db } from './db.js';

type AppendResult = { message: MessageRecord; created: boolean };

const SELECT = `SELECT m.id, m.room_id, m.seq, m.author_id, u.username, m.text, m.client_msg_id, m.created_at
                  FROM messages m JOIN users u ON u.id = m.author_id`;

export function createSqliteMessageRepository(db: Db): MessageRepository {
  // The author is known to the caller: no join on the write path.
  const existing = db.prepare<[string, string, string], StoredMessageRow>(
    'SELECT id, seq, text, created_at FROM messages WHERE room_id = ? AND author_id = ? AND client_msg_id = ?',
  );
  const nextSeq = db.prepare<[string], number>('UPDATE rooms SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq').pluck();
  const insert = db.prepare(
    `INSERT INTO messages (id, room_id, seq, author_id, client_msg_id, text, created_at)
     VALUES (@id, @roomId, @seq, @authorId, @clientMsgId, @text, @createdAt)`,
  );
  const authorRead = db.prepare<[number, string, string]>(
    'UPDATE memberships SET last_read_seq = MAX(last_read_seq, ?) WHERE room_id = ? AND user_id = ?',
  );
  // Keyset pages on the (room_id, seq) unique index; the inner query picks the page, the outer orders it.
  const newest = db.prepare<[string, number], MessageRow>(
    `SELECT * FROM (${SELECT} WHERE m.room_id = ? ORDER BY m.seq DESC LIMIT ?) ORDER BY seq`,
  );
  const before = db.prepare<[string, number, number], MessageRow>(
    `SELECT * FROM (${SELECT} WHERE m.room_id = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?) ORDER BY seq`,
  );
  const after = db.prepare<[string, number, number], MessageRow>(`${SELECT} WHERE m.room_id = ? AND m.seq > ? ORDER BY m.seq LIMIT ?`);

  const appendOne = db.transaction((message: NewMessage): AppendResult => {
    const { id, roomId, author, clientMsgId, text, createdAt } = message;
    const original = existing.get(roomId, author.id, clientMsgId);
    if (original) return { message: toStoredMessage(message, original), created: false };
    const seq = nextSeq.get(roomId);
    if (seq === undefined) throw new Error(`room ${roomId} does not exist`);
    insert.run({ id, roomId, seq, authorId: author.id, clientMsgId, text, createdAt });
    authorRead.run(seq, roomId, author.id);
    return { message: { id, roomId, seq, author, text, clientMsgId, createdAt }, created: true };
  });

  // Group commit: appends that arrive in the same event-loop turn share one transaction, so one
  // fsync covers them all. Each append is its own savepoint (a nested better-sqlite3
  // transaction), so one failing append does not undo the others. Nothing resolves before COMMIT.
  type Pending = { message: NewMessage; resolve: (r: AppendResult) => void; reject: (e: unknown) => void };
  let queue: Pending[] = [];
  const commitBatch = db.transaction((batch: Pending[]) =>
    batch.map((p) => {
      try {
        return { ok: true as const, value: appendOne(p.message) };
      } catch (error) {
        return { ok: false as const, error };
      }
    }),
  );
  const flush = () => {
    const batch = queue;
    queue = [];
    run(() => commitBatch.immediate(batch)).then(
      (outcomes) =>
        outcomes.forEach((outcome, i) => {
          if (outcome.ok) batch[i]!.resolve(outcome.value);
          else batch[i]!.reject(toStorageError(outcome.error));
        }),
      (error) => batch.forEach((p) => p.reject(error)),
    );
  };

  return {
    append: (message) =>
      new Promise<AppendResult>((resolve, reject) => {
        if (queue.length === 0) setImmediate(flush);
        queue.push({ message, resolve, reject });
      }),
    history: (roomId, query) =>
      run(() => {
        const rows =
          query.after !== undefined
            ? after.all(roomId, query.after, query.limit)
            : query.before !== undefined
              ? before.all(roomId, query.before, query.limit)
              : newest.all(roomId, query.limit);
        return rows.map(toMessage);
      }),
  };
}
