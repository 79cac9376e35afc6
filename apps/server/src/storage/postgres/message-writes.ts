import { MutationRefusedError, StorageUnavailableError } from '../errors.js';
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
import { AUTHOR_COLUMNS, MESSAGE_COLUMNS, toMessage, toMessageBy, type MessageRow, type StoredMessageRow } from '../rows.js';
import type { AppendResult, MentionQuery, MessageRecord, MessageRepository, MutationResult, NewMessage } from '../storage.js';
import { hasNul, isUniqueViolationOf, statement, type Queryable } from './db.js';
import { claimable, INSERT_WITH_FILES } from './message-files.js';

// The author is known to the caller: no join on the write path.
const EXISTING = statement(
  'messages.existing',
  `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.room_id = $1 AND m.author_id = $2 AND m.client_msg_id = $3`,
);
export const FIND = statement(
  'messages.find',
  `SELECT ${MESSAGE_COLUMNS}, ${AUTHOR_COLUMNS} FROM messages m JOIN users u ON u.id = m.author_id WHERE m.id = $1 AND m.room_id = $2`,
);
// The row lock taken here serializes the writers of one room, on every node, until COMMIT; a
// rollback gives the numbers back, so seqs and revs have no gaps. A reply takes two revs: its
// own, then its root's.
const NEXT_SEQ = statement(
  'messages.nextSeq',
  'UPDATE rooms SET last_seq = last_seq + 1, last_rev = last_rev + $2 WHERE id = $1 RETURNING last_seq, last_rev',
);
// Insert and read marker in one round trip, to hold the room's lock for as short as possible.
const INSERT = statement(
  'messages.insert',
  `WITH inserted AS (
     INSERT INTO messages (id, room_id, seq, rev, author_id, client_msg_id, text, created_at, thread_root_id, mentions)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
   )
   UPDATE memberships SET last_read_seq = GREATEST(last_read_seq, $3) WHERE room_id = $2 AND user_id = $5`,
);
// The members a text names (or all of them for `@room`), its author aside; by id, bytewise as SQLite sorts.
const MENTIONABLE = statement(
  'messages.mentionable',
  `SELECT ms.user_id FROM memberships ms JOIN users u ON u.id = ms.user_id
    WHERE ms.room_id = $1 AND ms.user_id <> $2 AND ($3::boolean OR u.username = ANY ($4::text[]))
    ORDER BY ms.user_id COLLATE "C"`,
);
// A message's mention rows ($4) and the follows of its thread ($5) they and a reply start ($6, $7), in one round trip.
const STORE_MENTIONS = statement(
  'messages.storeMentions',
  `WITH mention_rows AS (
     INSERT INTO message_mentions (room_id, message_id, seq, user_id) SELECT $1, $2, $3, unnest($4::text[])
   )
   INSERT INTO thread_reads (room_id, thread_root_id, user_id, last_read_seq, following)
   SELECT $1, $5, f.user_id, f.marker, 1 FROM unnest($6::text[], $7::bigint[]) AS f(user_id, marker)
   ON CONFLICT (thread_root_id, user_id)
   DO UPDATE SET following = 1, last_read_seq = GREATEST(thread_reads.last_read_seq, excluded.last_read_seq)`,
);
const DROP_MENTIONS = statement('messages.dropMentions', 'DELETE FROM message_mentions WHERE message_id = $1');
const ROOT_REPLIED = statement(
  'messages.rootReplied',
  'UPDATE messages SET reply_count = reply_count + 1, last_reply_at = $2, last_reply_seq = $3, rev = $4 WHERE id = $1',
);

/**
 * Every other change starts here: the room's row lock (the lock NEXT_SEQ takes, so all writers of
 * a room queue on one lock, in one order: no deadlocks), its last rev, and the message as it is.
 * NO KEY UPDATE does not block the foreign-key checks of inserts.
 */
// The room's lock is taken by a statement of its own first: under READ COMMITTED a statement's
// snapshot is taken when it starts, so a read that waited for the lock in the same statement would
// see the message as it was before the writer it waited for (a lost reaction or edit). The next
// statement starts after the lock is held and reads the latest committed message.
const LOCK_ROOM = statement('messages.lockRoom', 'SELECT 1 FROM rooms WHERE id = $1 FOR NO KEY UPDATE');
const LOCK_AND_FIND = statement(
  'messages.lockAndFind',
  `SELECT r.last_rev AS room_last_rev, ${MESSAGE_COLUMNS}, ${AUTHOR_COLUMNS}
     FROM rooms r
     LEFT JOIN messages m ON m.id = $2 AND m.room_id = r.id
     LEFT JOIN users u ON u.id = m.author_id
    WHERE r.id = $1
      FOR NO KEY UPDATE OF r`,
);
// Each write below sets the room's last rev ($1 room, $2 rev) with the message's, in one round trip.
const EDIT = statement(
  'messages.edit',
  `WITH room AS (UPDATE rooms SET last_rev = $2 WHERE id = $1),
        version AS (
          INSERT INTO message_versions (message_id, n, text, set_at)
          SELECT $3, COALESCE(MAX(n), 0) + 1, $4, $5 FROM message_versions WHERE message_id = $3
        )
   UPDATE messages SET text = $6, edited_at = $7, rev = $2, mentions = $8 WHERE id = $3`,
);
export const TOMBSTONE = statement(
  'messages.tombstone',
  `WITH room AS (UPDATE rooms SET last_rev = $2 WHERE id = $1),
        versions AS (DELETE FROM message_versions WHERE message_id = $3),
        mentions AS (DELETE FROM message_mentions WHERE message_id = $3),
        removed_files AS (DELETE FROM files WHERE message_id = $3 RETURNING id)
   UPDATE messages SET text = '', edited_at = NULL, deleted_at = $4, reactions = '[]', mentions = '[]', files = '[]', rev = $2
    WHERE id = $3
   RETURNING (SELECT coalesce(array_agg(id), '{}') FROM removed_files) AS removed_file_ids`,
);
// A root's summary from its replies that are not deleted, through the (thread_root_id, seq) index.
const RESUMMARISE = statement(
  'messages.resummarise',
  `WITH room AS (UPDATE rooms SET last_rev = $2 WHERE id = $1),
        summary AS (
          SELECT count(*) AS reply_count, max(seq) AS last_reply_seq,
                 (SELECT created_at FROM messages WHERE thread_root_id = $3 AND deleted_at IS NULL ORDER BY seq DESC LIMIT 1) AS last_reply_at
            FROM messages WHERE thread_root_id = $3 AND deleted_at IS NULL
        )
   UPDATE messages m
      SET reply_count = s.reply_count, last_reply_seq = s.last_reply_seq, last_reply_at = s.last_reply_at, rev = $2
     FROM summary s, users u
    WHERE m.id = $3 AND u.id = m.author_id
   RETURNING ${MESSAGE_COLUMNS}, ${AUTHOR_COLUMNS}`,
);
const SET_REACTIONS = statement(
  'messages.setReactions',
  `WITH room AS (UPDATE rooms SET last_rev = $2 WHERE id = $1)
   UPDATE messages SET reactions = $4, rev = $2 WHERE id = $3`,
);

type LockedRow = MessageRow & { room_last_rev: string };
type Args<K extends keyof MessageRepository> = Parameters<MessageRepository[K]>[0];
type Changed<E> = Extract<Plan<E>, { kind: 'changed' }>;

/**
 * A plain append (no thread, no files, no mentions to resolve) in one statement: the look-up, the
 * room's next seq and rev (its row lock), the insert and the author's read marker. Run alone it is
 * its own transaction: one round trip, one commit. The look-up's snapshot is taken before the lock
 * wait, as EXISTING's is; a twin committed meanwhile makes the insert fail on messages_idempotency,
 * and the caller answers with it (recoverAppend). No row of `next` and none of `existing`: no room.
 */
const APPEND_PLAIN = statement(
  'messages.appendPlain',
  `WITH existing AS (
     SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.room_id = $2 AND m.author_id = $3 AND m.client_msg_id = $4
   ), next AS (
     UPDATE rooms SET last_seq = last_seq + 1, last_rev = last_rev + 1
      WHERE id = $2 AND NOT EXISTS (SELECT FROM existing)
     RETURNING last_seq, last_rev
   ), inserted AS (
     INSERT INTO messages (id, room_id, seq, rev, author_id, client_msg_id, text, created_at, thread_root_id, mentions)
     SELECT $1, $2, next.last_seq, next.last_rev, $3, $4, $5, $6, NULL, '[]' FROM next
   ), marker AS (
     UPDATE memberships ms SET last_read_seq = GREATEST(ms.last_read_seq, next.last_seq)
       FROM next WHERE ms.room_id = $2 AND ms.user_id = $3
   )
   SELECT next.last_seq AS next_seq, next.last_rev AS next_rev, existing.*
     FROM (VALUES (1)) AS one (x) LEFT JOIN next ON true LEFT JOIN existing ON true`,
);
type PlainRow = { next_seq: string | null; next_rev: string | null } & Partial<StoredMessageRow>;

/** True when append can take the one-statement path (APPEND_PLAIN). */
export const isPlain = (message: NewMessage): boolean => (message.threadRootId ?? null) === null && !message.fileIds && !message.mentions;

/**
 * The writes of the message repository. Each runs on the connection it is given, inside a
 * transaction (or a savepoint of one) that messages.repository.ts opens and commits for a batch of
 * writes; a write throws to be undone. Each takes its room's row lock before reading what it changes.
 */
export function createPostgresMessageWrites() {
  const mentionsIn = async (tx: Queryable, roomId: string, authorId: string, query: MentionQuery | null | undefined) => {
    if (!query) return [];
    const usernames = query.usernames.filter((name) => !hasNul(name));
    return (await tx.query<{ user_id: string }>(MENTIONABLE, [roomId, authorId, query.everyone, usernames])).rows.map((r) => r.user_id);
  };

  /** The mention rows of a stored message and the follows they (and a reply) start. */
  const storeMentions = async (tx: Queryable, message: MessageRecord, rootAuthorId: string | null, sent = true) => {
    const follows = followsOf(message, message.mentions, rootAuthorId, sent);
    await tx.query(STORE_MENTIONS, [
      message.roomId,
      message.id,
      message.seq,
      message.mentions,
      threadOf(message),
      [...follows.keys()],
      [...follows.values()],
    ]);
  };

  const original = (message: NewMessage, row: StoredMessageRow): AppendResult => ({
    created: false,
    message: toMessageBy(row, message.author),
  });

  /** One append: look-up, seq and rev, root check, insert, read marker, root summary. */
  const append = async (tx: Queryable, message: NewMessage): Promise<AppendResult> => {
    const { id, roomId, author, clientMsgId, text, createdAt } = message;
    const threadRootId = message.threadRootId ?? null;
    if (isPlain(message)) {
      const row = (await tx.query<PlainRow>(APPEND_PLAIN, [id, roomId, author.id, clientMsgId, text, createdAt])).rows[0]!;
      if (row.id != null) return original(message, row as StoredMessageRow);
      if (row.next_seq === null) throw new StorageUnavailableError('room does not exist');
      return { created: true, message: newMessage(message, Number(row.next_seq), Number(row.next_rev), [], []) };
    }
    const existing = (await tx.query<StoredMessageRow>(EXISTING, [roomId, author.id, clientMsgId])).rows[0];
    if (existing) return original(message, existing);
    const next = (await tx.query<{ last_seq: string; last_rev: string }>(NEXT_SEQ, [roomId, threadRootId === null ? 1 : 2])).rows[0];
    if (!next) throw new StorageUnavailableError('room does not exist');
    const [seq, lastRev] = [Number(next.last_seq), Number(next.last_rev)];
    // Read under the room's lock: no other writer can change the root until COMMIT.
    const rootRow =
      threadRootId === null || hasNul(threadRootId) ? undefined : (await tx.query<MessageRow>(FIND, [threadRootId, roomId])).rows[0];
    const root = rootRow ? toMessage(rootRow) : null;
    const refusal = threadRootId === null ? null : replyRefusal(root);
    // Thrown, it rolls the transaction (or the write's savepoint) back: the seq and revs taken above with it.
    if (refusal) throw new MutationRefusedError(refusal);
    const rev = root ? lastRev - 1 : lastRev;
    const sent = message.fileIds ? await claimable(tx, message) : [];
    const mentions = await mentionsIn(tx, roomId, author.id, message.mentions);
    const values = [id, roomId, seq, rev, author.id, clientMsgId, text, createdAt, threadRootId, JSON.stringify(mentions)];
    if (sent.length === 0) await tx.query(INSERT, values);
    else await tx.query(INSERT_WITH_FILES, [...values, JSON.stringify(sent), sent.map((file) => file.id)]);
    const stored = newMessage(message, seq, rev, mentions, sent);
    if (root || mentions.length > 0) await storeMentions(tx, stored, root?.author.id ?? null);
    if (!root) return { created: true, message: stored };
    await tx.query(ROOT_REPLIED, [root.id, createdAt, seq, lastRev]);
    return { created: true, message: stored, root: withReply(root, stored, lastRev) };
  };

  /**
   * After a failed append was undone: another node stored the same (room, author, clientMsgId)
   * between our look-up and our insert (or claimed its files first, with it), and committed. The
   * seq we took was given back: answer with theirs. Any other failure is rethrown.
   */
  const recoverAppend = async (q: Queryable, message: NewMessage, error: unknown): Promise<AppendResult> => {
    const raced =
      isUniqueViolationOf(error, 'messages_idempotency') || (error instanceof MutationRefusedError && error.reason === 'files-unavailable');
    if (!raced) throw error;
    const winner = (await q.query<StoredMessageRow>(EXISTING, [message.roomId, message.author.id, message.clientMsgId])).rows[0];
    if (!winner) throw error;
    return original(message, winner);
  };

  /**
   * A change of one message: locks the room, plans from the message as it is, and only when the
   * plan changes something takes the room's next rev and stores it with `store` (which may
   * return a root it changed too, with the rev after).
   */
  const mutate = async <E>(
    tx: Queryable,
    roomId: string,
    messageId: string,
    plan: (current: MessageRecord | null, tx: Queryable) => Plan<E> | Promise<Plan<E>>,
    store: (tx: Queryable, change: Changed<E>, rev: number) => Promise<MessageRecord | void>,
  ): Promise<MutationResult> => {
    if (hasNul(roomId, messageId)) return { kind: 'refused', reason: 'not-found' };
    await tx.query(LOCK_ROOM, [roomId]);
    const row = (await tx.query<LockedRow>(LOCK_AND_FIND, [roomId, messageId])).rows[0];
    const decided = await plan(row && row.id !== null ? toMessage(row) : null, tx);
    if (decided.kind !== 'changed') return decided;
    const rev = Number(row!.room_last_rev) + 1;
    const root = await store(tx, decided, rev);
    const message = { ...decided.message, rev };
    return root ? { kind: 'changed', message, root } : { kind: 'changed', message };
  };

  return {
    append,
    recoverAppend,

    edit: (tx: Queryable, { roomId, messageId, text, editedAt, mentions }: Args<'edit'>) =>
      mutate(
        tx,
        roomId,
        messageId,
        async (current, tx) => {
          const plan = planEdit(current, text, editedAt);
          if (plan.kind !== 'changed') return plan;
          return { ...plan, message: { ...plan.message, mentions: await mentionsIn(tx, roomId, plan.message.author.id, mentions) } };
        },
        async (tx, { previous, message }, rev) => {
          await tx.query(EDIT, [roomId, rev, messageId, previous.text, previous.setAt, text, editedAt, JSON.stringify(message.mentions)]);
          await tx.query(DROP_MENTIONS, [messageId]);
          if (message.mentions.length > 0) await storeMentions(tx, message, null, false);
        },
      ),

    delete: async (tx: Queryable, { roomId, messageId }: Args<'delete'>) => {
      let removedFileIds: string[] = [];
      const result = await mutate(tx, roomId, messageId, planDelete, async (tx, { message }, rev) => {
        // The files' rows go with the message; their blobs are the caller's to delete after the commit.
        const tombstone = await tx.query<{ removed_file_ids: string[] }>(TOMBSTONE, [roomId, rev, messageId, new Date().toISOString()]);
        removedFileIds = tombstone.rows[0]?.removed_file_ids ?? [];
        if (message.threadRootId === null) return;
        const root = (await tx.query<MessageRow>(RESUMMARISE, [roomId, rev + 1, message.threadRootId])).rows[0]!;
        return toMessage(root);
      });
      return result.kind === 'changed' && removedFileIds.length > 0 ? { ...result, removedFileIds } : result;
    },

    setReaction: (tx: Queryable, { roomId, messageId, userId, emoji, on }: Args<'setReaction'>) =>
      mutate(
        tx,
        roomId,
        messageId,
        (current) => planReaction(current, userId, emoji, on),
        async (tx, { message }, rev) => {
          await tx.query(SET_REACTIONS, [roomId, rev, messageId, JSON.stringify(message.reactions)]);
        },
      ),
  };
}
