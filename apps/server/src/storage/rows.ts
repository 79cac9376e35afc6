import type { User } from '@parley/protocol';
import type { MembershipRecord, MessageRecord, NewMessage, RoomRecord, RoomView, SessionRecord, UserRecord } from './storage.js';

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
}

export interface MembershipRow {
  room_id: string;
  user_id: string;
  last_read_seq: IntegerColumn;
  joined_at: string;
}

/** A message joined with its author's username. */
export interface MessageRow {
  id: string;
  room_id: string;
  seq: IntegerColumn;
  author_id: string;
  username: string;
  text: string;
  client_msg_id: string;
  created_at: string;
}

/** What an idempotent append reads of the message already stored (no join: the author is known). */
export type StoredMessageRow = Pick<MessageRow, 'id' | 'seq' | 'text' | 'created_at'>;

export function toUserRecord(row: UserRow): UserRecord {
  return { id: row.id, username: row.username, passwordHash: row.password_hash, createdAt: row.created_at };
}

export function toActiveSession(row: SessionUserRow): { session: SessionRecord; user: User } {
  return {
    session: { id: row.id, userId: row.user_id, createdAt: row.created_at, expiresAt: Number(row.expires_at) },
    user: { id: row.user_id, username: row.username },
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
        ? { text, author: { id: authorId, username: authorName }, createdAt }
        : null,
    invitedBy:
      row.invited_by !== null && row.invited_by_username !== null ? { id: row.invited_by, username: row.invited_by_username } : null,
  };
}

export function toMembership(row: MembershipRow): MembershipRecord {
  return { roomId: row.room_id, userId: row.user_id, lastReadSeq: Number(row.last_read_seq), joinedAt: row.joined_at };
}

export function toMessage(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    roomId: row.room_id,
    seq: Number(row.seq),
    author: { id: row.author_id, username: row.username },
    text: row.text,
    clientMsgId: row.client_msg_id,
    createdAt: row.created_at,
  };
}

/** The message stored first under `message`'s (room, author, clientMsgId), as a repeated append answers it. */
export function toStoredMessage(message: NewMessage, row: StoredMessageRow): MessageRecord {
  return {
    id: row.id,
    roomId: message.roomId,
    seq: Number(row.seq),
    author: message.author,
    text: row.text,
    clientMsgId: message.clientMsgId,
    createdAt: row.created_at,
  };
}
