import { MutationRefusedError } from '../errors.js';
import {
  followsOf,
  newMessage,
  planDelete,
  planEdit,
  planReaction,
  replyRefusal,
  threadOf,
  withReply,
  type Plan,
} from '../message-rules.js';
import { AUTHOR_COLUMNS, MESSAGE_COLUMNS, NO_FILES, toMessage, toMessageBy, type MessageRow, type StoredMessageRow } from '../rows.js';
import type { AppendResult, MentionQuery, MessageRecord, MessageRepository, MutationResult, NewMessage } from '../storage.js';
import type { Db } from './db.js';
import { createSqliteMessageFiles } from './message-files.js';

/** A message of a room, with its author. */
export const FIND_SQL = `SELECT ${MESSAGE_COLUMNS}, ${AUTHOR_COLUMNS} FROM messages m JOIN users u ON u.id = m.author_id
                          WHERE m.id = ? AND m.room_id = ?`;

type Args<K extends keyof MessageRepository> = Parameters<MessageRepository[K]>[0];
type Changed<E> = Extract<Plan<E>, { kind: 'changed' }>;

/**
 * The writes of the message repository, run inside the batch transaction of the write queue
 * (messages.repository.ts): without a savepoint first, and each in its own savepoint when one of
 * the batch fails, so a failing one undoes itself only. Each reads what it changes inside its savepoint: SQLite has one
 * writer, so nothing changes between the read and the write. Every change takes the room's next rev.
 */
export function createSqliteMessageWrites(db: Db) {
  // The author is known to the caller: no join on the write path.
  const existing = db.prepare<[string, string, string], StoredMessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.room_id = ? AND m.author_id = ? AND m.client_msg_id = ?`,
  );
  const find = db.prepare<[string, string], MessageRow>(FIND_SQL);
  // A reply takes two revs: its own, then its root's.
  const nextSeq = db.prepare<[number, string], { last_seq: number; last_rev: number }>(
    'UPDATE rooms SET last_seq = last_seq + 1, last_rev = last_rev + ? WHERE id = ? RETURNING last_seq, last_rev',
  );
  const nextRev = db.prepare<[number, string], number>('UPDATE rooms SET last_rev = last_rev + ? WHERE id = ? RETURNING last_rev').pluck();
  const insert = db.prepare(
    `INSERT INTO messages (id, room_id, seq, rev, author_id, client_msg_id, text, created_at, thread_root_id, mentions, files)
     VALUES (@id, @roomId, @seq, @rev, @authorId, @clientMsgId, @text, @createdAt, @threadRootId, @mentions, @files)`,
  );
  const files = createSqliteMessageFiles(db);
  // The members a text names (or all of them for `@room`), its author aside.
  const mentionable = db
    .prepare<[string, string, number, string], string>(
      `SELECT ms.user_id FROM memberships ms JOIN users u ON u.id = ms.user_id
        WHERE ms.room_id = ? AND ms.user_id <> ? AND (? = 1 OR u.username IN (SELECT value FROM json_each(?)))
        ORDER BY ms.user_id`,
    )
    .pluck();
  const insertMention = db.prepare<[string, string, number, string]>(
    'INSERT INTO message_mentions (room_id, message_id, seq, user_id) VALUES (?, ?, ?, ?)',
  );
  const dropMentions = db.prepare<[string]>('DELETE FROM message_mentions WHERE message_id = ?');
  const follow = db.prepare<[string, string, string, number]>(
    `INSERT INTO thread_reads (room_id, thread_root_id, user_id, last_read_seq, following) VALUES (?, ?, ?, ?, 1)
     ON CONFLICT (thread_root_id, user_id) DO UPDATE SET following = 1, last_read_seq = MAX(last_read_seq, excluded.last_read_seq)`,
  );
  const authorRead = db.prepare<[number, string, string]>(
    'UPDATE memberships SET last_read_seq = MAX(last_read_seq, ?) WHERE room_id = ? AND user_id = ?',
  );
  const rootReplied = db.prepare<[string, number, number, string]>(
    'UPDATE messages SET reply_count = reply_count + 1, last_reply_at = ?, last_reply_seq = ?, rev = ? WHERE id = ?',
  );
  const addVersion = db.prepare<{ messageId: string; text: string; setAt: string }>(
    `INSERT INTO message_versions (message_id, n, text, set_at)
     SELECT @messageId, COALESCE(MAX(n), 0) + 1, @text, @setAt FROM message_versions WHERE message_id = @messageId`,
  );
  const setText = db.prepare<[string, string, number, string, string]>(
    'UPDATE messages SET text = ?, edited_at = ?, rev = ?, mentions = ? WHERE id = ?',
  );
  const tombstone = db.prepare<[string, number, string]>(
    "UPDATE messages SET text = '', edited_at = NULL, deleted_at = ?, reactions = '[]', mentions = '[]', files = '[]', rev = ? WHERE id = ?",
  );
  const dropVersions = db.prepare<[string]>('DELETE FROM message_versions WHERE message_id = ?');
  // A root's summary from its replies that are not deleted, through the (thread_root_id, seq) index.
  const resummarise = db.prepare<{ rootId: string; rev: number }>(
    `UPDATE messages
        SET (reply_count, last_reply_seq, last_reply_at) = (
              SELECT COUNT(*), MAX(seq),
                     (SELECT created_at FROM messages WHERE thread_root_id = @rootId AND deleted_at IS NULL ORDER BY seq DESC LIMIT 1)
                FROM messages WHERE thread_root_id = @rootId AND deleted_at IS NULL),
            rev = @rev
      WHERE id = @rootId`,
  );
  const setReactions = db.prepare<[string, number, string]>('UPDATE messages SET reactions = ?, rev = ? WHERE id = ?');

  const mentionsIn = (roomId: string, authorId: string, query: MentionQuery | null | undefined): string[] =>
    query ? mentionable.all(roomId, authorId, query.everyone ? 1 : 0, JSON.stringify(query.usernames)) : [];

  /** The mention rows of a stored message and the follows they (and a reply) start. */
  const storeMentions = (message: MessageRecord, rootAuthorId: string | null, sent = true) => {
    for (const userId of message.mentions) insertMention.run(message.roomId, message.id, message.seq, userId);
    for (const [userId, marker] of followsOf(message, message.mentions, rootAuthorId, sent))
      follow.run(message.roomId, threadOf(message), userId, marker);
  };

  const current = (roomId: string, messageId: string): MessageRecord | null => {
    const row = find.get(messageId, roomId);
    return row ? toMessage(row) : null;
  };

  /** Takes the room's next rev for a changed plan and stores it with `store` (which may return a changed root). */
  const apply = <E>(roomId: string, plan: Plan<E>, store: (change: Changed<E>, rev: number) => MessageRecord | void): MutationResult => {
    if (plan.kind !== 'changed') return plan;
    const rev = nextRev.get(1, roomId)!;
    const root = store(plan, rev);
    const message = { ...plan.message, rev };
    return root ? { kind: 'changed', message, root } : { kind: 'changed', message };
  };

  return {
    append: (message: NewMessage): AppendResult => {
      const { id, roomId, author, clientMsgId, text, createdAt } = message;
      const original = existing.get(roomId, author.id, clientMsgId);
      if (original) return { created: false, message: toMessageBy(original, author) };
      const threadRootId = message.threadRootId ?? null;
      const root = threadRootId === null ? null : current(roomId, threadRootId);
      const refusal = threadRootId === null ? null : replyRefusal(root);
      if (refusal) throw new MutationRefusedError(refusal);
      const next = nextSeq.get(root ? 2 : 1, roomId);
      if (next === undefined) throw new Error(`room ${roomId} does not exist`);
      const rev = root ? next.last_rev - 1 : next.last_rev;
      // Thrown, the refusal undoes this savepoint: the seq and revs taken above with it.
      const sent = message.fileIds ? files.claimable(message) : [];
      const mentions = mentionsIn(roomId, author.id, message.mentions);
      const stored = newMessage(message, next.last_seq, rev, mentions, sent);
      const row = { id, roomId, seq: next.last_seq, rev, authorId: author.id, clientMsgId, text, createdAt, threadRootId };
      insert.run({ ...row, mentions: JSON.stringify(mentions), files: sent.length > 0 ? JSON.stringify(sent) : NO_FILES });
      if (sent.length > 0) files.claim(id, sent);
      authorRead.run(next.last_seq, roomId, author.id);
      if (root || mentions.length > 0) storeMentions(stored, root?.author.id ?? null);
      if (!root) return { created: true, message: stored };
      rootReplied.run(createdAt, next.last_seq, next.last_rev, root.id);
      return { created: true, message: stored, root: withReply(root, stored, next.last_rev) };
    },

    edit: ({ roomId, messageId, text, editedAt, mentions }: Args<'edit'>) => {
      const was = current(roomId, messageId);
      const plan = planEdit(was, text, editedAt, (authorId) => mentionsIn(roomId, authorId, mentions));
      return apply(roomId, plan, ({ previous, message }, rev) => {
        addVersion.run({ messageId, ...previous });
        setText.run(text, editedAt, rev, JSON.stringify(message.mentions), messageId);
        if (was!.mentions.length > 0) dropMentions.run(messageId);
        if (message.mentions.length > 0) storeMentions(message, null, false);
      });
    },

    delete: ({ roomId, messageId }: Args<'delete'>): MutationResult => {
      const result = apply(roomId, planDelete(current(roomId, messageId)), ({ message }, rev) => {
        tombstone.run(new Date().toISOString(), rev, message.id);
        dropVersions.run(message.id);
        dropMentions.run(message.id);
        if (message.threadRootId === null) return;
        resummarise.run({ rootId: message.threadRootId, rev: nextRev.get(1, roomId)! });
        return current(roomId, message.threadRootId)!;
      });
      if (result.kind !== 'changed') return result;
      // The files' rows go with the message; their blobs are the caller's to delete after the commit.
      const removedFileIds = files.remove(messageId);
      return removedFileIds.length > 0 ? { ...result, removedFileIds } : result;
    },

    setReaction: ({ roomId, messageId, userId, emoji, on }: Args<'setReaction'>) =>
      apply(roomId, planReaction(current(roomId, messageId), userId, emoji, on), ({ message }, rev) => {
        setReactions.run(JSON.stringify(message.reactions), rev, message.id);
      }),
  };
}
