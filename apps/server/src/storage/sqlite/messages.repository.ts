import type { MessageRecord, MessageRepository, NewMessage } from '../storage.js';
import { run, type Db } from './db.js';

interface MessageRow {
  id: string;
  room_id: string;
  seq: number;
  author_id: string;
  username: string;
  text: string;
  client_msg_id: string;
  created_at: string;
}

const SELECT = `SELECT m.id, m.room_id, m.seq, m.author_id, u.username, m.text, m.client_msg_id, m.created_at
                  FROM messages m JOIN users u ON u.id = m.author_id`;

export function createSqliteMessageRepository(db: Db): MessageRepository {
  const existing = db.prepare<[string, string, string], MessageRow>(
    `${SELECT} WHERE m.room_id = ? AND m.author_id = ? AND m.client_msg_id = ?`,
  );
  const nextSeq = db.prepare<[string], number>('UPDATE rooms SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq').pluck();
  const insert = db.prepare(
    `INSERT INTO messages (id, room_id, seq, author_id, client_msg_id, text, created_at)
     VALUES (@id, @roomId, @seq, @authorId, @clientMsgId, @text, @createdAt)`,
  );
  const authorRead = db.prepare<[number, string, string]>(
    'UPDATE memberships SET last_read_seq = MAX(last_read_seq, ?) WHERE room_id = ? AND user_id = ?',
  );
  const byId = db.prepare<[string], MessageRow>(`${SELECT} WHERE m.id = ?`);
  // Keyset pages on the (room_id, seq) unique index; the inner query picks the page, the outer orders it.
  const newest = db.prepare<[string, number], MessageRow>(
    `SELECT * FROM (${SELECT} WHERE m.room_id = ? ORDER BY m.seq DESC LIMIT ?) ORDER BY seq`,
  );
  const before = db.prepare<[string, number, number], MessageRow>(
    `SELECT * FROM (${SELECT} WHERE m.room_id = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?) ORDER BY seq`,
  );
  const after = db.prepare<[string, number, number], MessageRow>(
    `${SELECT} WHERE m.room_id = ? AND m.seq > ? ORDER BY m.seq LIMIT ?`,
  );

  const append = db.transaction((message: NewMessage) => {
    const original = existing.get(message.roomId, message.authorId, message.clientMsgId);
    if (original) return { message: toMessage(original), created: false };
    const seq = nextSeq.get(message.roomId);
    if (seq === undefined) throw new Error(`room ${message.roomId} does not exist`);
    insert.run({ ...message, seq });
    authorRead.run(seq, message.roomId, message.authorId);
    return { message: toMessage(byId.get(message.id)!), created: true };
  });

  return {
    append: (message) => run(() => append.immediate(message)),
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

function toMessage(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    roomId: row.room_id,
    seq: row.seq,
    author: { id: row.author_id, username: row.username },
    text: row.text,
    clientMsgId: row.client_msg_id,
    createdAt: row.created_at,
  };
}
