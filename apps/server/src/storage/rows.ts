import { DELETED_DISPLAY_NAME, DELETED_USERNAME, type MessageFile, type Reaction, type ThreadSummary, type User } from '@parley/protocol';
import type { MembershipRecord, MessageRecord, RoomRecord, RoomView, SessionRecord, UserRecord } from './storage.js';
import type { RoomRole } from '@parley/protocol';

/**
 * The rows both drivers read from the schema (storage/schema.ts), and one mapper per entity
 * from row to record. The drivers differ in integers only: better-sqlite3 returns numbers,
 * node-postgres returns BIGINT columns as strings (a BIGINT may not fit a JS number); every
 * value Parley stores there (seqs, read markers, millisecond timestamps) does, so the mappers
 * turn both into numbers.
 */
export type IntegerColumn = number | string;

/** What a user is shown as: USER_COLUMNS of `users`. */
export interface UserNameRow {
  id: string;
  username: string;
  display_name: string;
  deleted_at: string | null;
}

/** The columns of UserNameRow, from `users` (unaliased). */
export const USER_COLUMNS = 'id, username, display_name, deleted_at';

export interface UserRow extends UserNameRow {
  password_hash: string;
  created_at: string;
}

/** A session joined with its user (as shown). */
export interface SessionUserRow {
  id: string;
  user_id: string;
  created_at: string;
  expires_at: IntegerColumn;
  username: string;
  display_name: string;
  deleted_at: string | null;
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
  /** messages.files of the newest message (JSON, '[]' when none). */
  last_files: string | null;
  last_created_at: string | null;
  last_author_id: string | null;
  last_author_username: string | null;
  last_author_display_name: string | null;
  last_author_deleted_at: string | null;
  invited_by: string | null;
  invited_by_username: string | null;
  invited_by_display_name: string | null;
  invited_by_deleted_at: string | null;
  /** The viewer's role (null when not a member). */
  role: RoomRole | null;
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
  role: RoomRole;
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
  /** JSON: MessageFile[] in the order sent (migration 6; `files` rows hold the same), '[]' when none. */
  files: string;
}

/** A message joined with its author as shown (`JOIN users u ON u.id = m.author_id`, AUTHOR_COLUMNS). */
export interface MessageRow extends StoredMessageRow {
  username: string;
  author_display_name: string;
  author_deleted_at: string | null;
}

/** The author's columns of MessageRow, from `users u`. */
export const AUTHOR_COLUMNS = 'u.username, u.display_name AS author_display_name, u.deleted_at AS author_deleted_at';

/** The columns of StoredMessageRow, from `messages m`, in both dialects. */
export const MESSAGE_COLUMNS =
  'm.id, m.room_id, m.seq, m.rev, m.author_id, m.client_msg_id, m.text, m.created_at, m.edited_at, m.deleted_at, ' +
  'm.thread_root_id, m.reply_count, m.last_reply_at, m.last_reply_seq, m.reactions, m.mentions, m.files';

/**
 * A user as shown: '' display name means "show the username"; a deleted account keeps its id
 * but shows as `deleted` / `Deleted user` (CONTRACT.md v2), whatever it was called.
 */
export function toUser(id: string, username: string, displayName = '', deletedAt: string | null = null): User {
  return deletedAt === null ? { id, username, displayName } : { id, username: DELETED_USERNAME, displayName: DELETED_DISPLAY_NAME };
}

export function toUserOf(row: UserNameRow): User {
  return toUser(row.id, row.username, row.display_name, row.deleted_at);
}

export function toUserRecord(row: UserRow): UserRecord {
  return { ...toUserOf(row), passwordHash: row.password_hash, createdAt: row.created_at };
}

export function toActiveSession(row: SessionUserRow): { session: SessionRecord; user: User } {
  return {
    session: { id: row.id, userId: row.user_id, createdAt: row.created_at, expiresAt: Number(row.expires_at) },
    user: toUser(row.user_id, row.username, row.display_name, row.deleted_at),
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
  const author = (id: string, name: string) => toUser(id, name, row.last_author_display_name ?? '', row.last_author_deleted_at);
  const inviter = (id: string, name: string) => toUser(id, name, row.invited_by_display_name ?? '', row.invited_by_deleted_at);
  return {
    ...toRoom(row),
    joined,
    lastReadSeq: joined ? Number(row.last_read_seq) : 0,
    lastMessage:
      text !== null && createdAt !== null && authorId !== null && authorName !== null
        ? { text, author: author(authorId, authorName), createdAt, files: fileCount(row.last_files) }
        : null,
    invitedBy: row.invited_by !== null && row.invited_by_username !== null ? inviter(row.invited_by, row.invited_by_username) : null,
    mentions: joined ? Number(row.mention_count) : 0,
    threadsUnread: joined ? Number(row.threads_unread) : 0,
    muted: joined && Number(row.muted) === 1,
    role: joined ? (row.role ?? 'member') : null,
  };
}

/** How many files a messages.files value lists, without parsing the common empty one. */
function fileCount(files: string | null): number {
  return files === null || files === NO_FILES ? 0 : (JSON.parse(files) as unknown[]).length;
}

export function toMembership(row: MembershipRow): MembershipRecord {
  return { roomId: row.room_id, userId: row.user_id, lastReadSeq: Number(row.last_read_seq), joinedAt: row.joined_at, role: row.role };
}

export function toMessage(row: MessageRow): MessageRecord {
  return toMessageBy(row, toUser(row.author_id, row.username, row.author_display_name, row.author_deleted_at));
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
    files: row.files === NO_FILES ? [] : (JSON.parse(row.files) as MessageFile[]),
  };
}

/** messages.files of a message without files (most of them): nothing to parse. */
export const NO_FILES = '[]';

function toThread(replyCount: number, lastReplyAt: string | null, lastReplySeq: IntegerColumn | null): ThreadSummary {
  return { replyCount, lastReplyAt, lastReplySeq: lastReplySeq === null ? null : Number(lastReplySeq) };
}
