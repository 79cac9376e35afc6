import type { Reaction, ThreadSummary, User } from '@parley/protocol';
import type { MembershipRecord, MessageRecord, RoomRecord, RoomView, SessionRecord, UserRecord } from './storage.js';

/**
 * The rows both drivers read from the schema (storage/schema.ts), and one mapper per entity
 * from row to record. The drivers differ in integers only: better-sqlite3 returns numbers,
 * node-postgres returns BIGINT columns as strings (a BIGINT may not fit a JS number); every
 * value Parley stores there (seqs, read markers, millisecond timestamps) does, so the mappers
 * turn both into numbers.
 */
export type IntegerColumn = number | string;

export interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  created_at: string;
}

/** A session joined with its user's username. */
export interface SessionUserRow {
  id: string;
  user_id: string;
  created_at: string;
  expires_at: IntegerColumn;
  username: string;
}

export interface RoomRow {
  id: string;
  kind: RoomRecord['kind'];
  name: string;
  owner_id: string | null;
  member_count: IntegerColumn;
  last_seq: IntegerColumn;
  last_rev: IntegerColumn;
  topic: string;
  created_at: string;
}

/**
 * A room joined with the viewer's membership and invitation (with the inviter's username), if
 * any, and with its newest message (with the author's username), if any.
 */
export interface RoomViewRow extends RoomRow {
  last_read_seq: IntegerColumn | null;
  last_text: string | null;
  last_created_at: string | null;
  last_author_id: string | null;
  last_author_username: string | null;
  invited_by: string | null;
  invited_by_username: string | null;
  /** Issue 15: the viewer's mention rows above their read marker, followed threads unread, mute (0 or 1; null when not a member). */
  mention_count: IntegerColumn;
  threads_unread: IntegerColumn;
  muted: IntegerColumn | null;
}

export interface MembershipRow {
  room_id: string;
  user_id: string;
  last_read_seq: IntegerColumn;
  joined_at: string;
}

/** The columns of a message, as MESSAGE_COLUMNS selects them. */
export interface StoredMessageRow {
  id: string;
  room_id: string;
  seq: IntegerColumn;
  rev: IntegerColumn;
  author_id: string;
  client_msg_id: string;
  text: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  thread_root_id: string | null;
  reply_count: IntegerColumn;
  last_reply_at: string | null;
  last_reply_seq: IntegerColumn | null;
  /** JSON: Reaction[] in first-use order. */
  reactions: string;
  /** JSON: the ids of the users mentioned (message_mentions holds the same as rows). */
  mentions: string;
}

/** A message joined with its author's username (`JOIN users u ON u.id = m.author_id`). */
export interface MessageRow extends StoredMessageRow {
  username: string;
}

/** The columns of StoredMessageRow, from `messages m`, in both dialects. */
export const MESSAGE_COLUMNS =
  'm.id, m.room_id, m.seq, m.rev, m.author_id, m.client_msg_id, m.text, m.created_at, m.edited_at, m.deleted_at, ' +
  'm.thread_root_id, m.reply_count, m.last_reply_at, m.last_reply_seq, m.reactions, m.mentions';

/** A user built from a row: display names come with a later schema (issue 15), '' means "show the username". */
export function toUser(id: string, username: string): User {
  return { id, username, displayName: '' };
}

export function toUserRecord(row: UserRow): UserRecord {
  return { ...toUser(row.id, row.username), passwordHash: row.password_hash, createdAt: row.created_at };
}

export function toActiveSession(row: SessionUserRow): { session: SessionRecord; user: User } {
  return {
    session: { id: row.id, userId: row.user_id, createdAt: row.created_at, expiresAt: Number(row.expires_at) },
    user: toUser(row.user_id, row.username),
  };
}

export function toRoom(row: RoomRow): RoomRecord {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    ownerId: row.owner_id,
    memberCount: Number(row.member_count),
    lastSeq: Number(row.last_seq),
    lastRev: Number(row.last_rev),
    topic: row.topic,
    createdAt: row.created_at,
  };
}

export function toRoomView(row: RoomViewRow): RoomView {
  const joined = row.last_read_seq !== null;
  const { last_text: text, last_created_at: createdAt, last_author_id: authorId, last_author_username: authorName } = row;
  return {
    ...toRoom(row),
    joined,
    lastReadSeq: joined ? Number(row.last_read_seq) : 0,
    lastMessage:
      text !== null && createdAt !== null && authorId !== null && authorName !== null
        ? { text, author: toUser(authorId, authorName), createdAt }
        : null,
    invitedBy: row.invited_by !== null && row.invited_by_username !== null ? toUser(row.invited_by, row.invited_by_username) : null,
    mentions: joined ? Number(row.mention_count) : 0,
    threadsUnread: joined ? Number(row.threads_unread) : 0,
    muted: joined && Number(row.muted) === 1,
  };
}

export function toMembership(row: MembershipRow): MembershipRecord {
  return { roomId: row.room_id, userId: row.user_id, lastReadSeq: Number(row.last_read_seq), joinedAt: row.joined_at };
}

export function toMessage(row: MessageRow): MessageRecord {
  return toMessageBy(row, toUser(row.author_id, row.username));
}

/** A message whose author the caller already has (no join on the write path). */
export function toMessageBy(row: StoredMessageRow, author: User): MessageRecord {
  const replyCount = Number(row.reply_count);
  return {
    id: row.id,
    roomId: row.room_id,
    seq: Number(row.seq),
    author,
    text: row.text,
    clientMsgId: row.client_msg_id,
    createdAt: row.created_at,
    rev: Number(row.rev),
    editedAt: row.edited_at,
    deleted: row.deleted_at !== null,
    threadRootId: row.thread_root_id,
    thread: replyCount > 0 ? toThread(replyCount, row.last_reply_at, row.last_reply_seq) : null,
    reactions: JSON.parse(row.reactions) as Reaction[],
    mentions: JSON.parse(row.mentions) as string[],
    files: [],
  };
}

function toThread(replyCount: number, lastReplyAt: string | null, lastReplySeq: IntegerColumn | null): ThreadSummary {
  return { replyCount, lastReplyAt, lastReplySeq: lastReplySeq === null ? null : Number(lastReplySeq) };
}
