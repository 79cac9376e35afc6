import type { HistoryQuery, RoomKind, RoomLastMessage, User } from '@parley/protocol';

/**
 * Repository interfaces: what the domain needs from storage, in domain terms. Every
 * implementation (SQLite, PostgreSQL) passes the same suite in test/storage.
 * Methods reject with StorageUnavailableError when storage fails and DuplicateKeyError
 * when a uniqueness rule is broken; nothing else escapes.
 */

export interface UserRecord extends User {
  passwordHash: string;
  createdAt: string;
}

export interface UserRepository {
  /** Rejects with DuplicateKeyError when the username is taken. */
  create(user: { id: string; username: string; passwordHash: string; createdAt: string }): Promise<void>;
  findByUsername(username: string): Promise<UserRecord | null>;
  findById(id: string): Promise<User | null>;
  findByIds(ids: readonly string[]): Promise<User[]>;
  /** Users whose username starts with prefix, by username, at most limit. */
  searchByPrefix(prefix: string, limit: number): Promise<User[]>;
}

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface SessionRepository {
  create(session: SessionRecord): Promise<void>;
  /** The session and its user when it exists and expires after `now`. */
  findActive(id: string, now: number): Promise<{ session: SessionRecord; user: User } | null>;
  /** True when a session was deleted. */
  delete(id: string): Promise<boolean>;
  deleteExpired(now: number): Promise<number>;
}

export interface RoomRecord {
  id: string;
  kind: RoomKind;
  /** Stored name; DMs store '' and are named per viewer. */
  name: string;
  ownerId: string | null;
  memberCount: number;
  lastSeq: number;
  createdAt: string;
}

export interface MembershipRecord {
  roomId: string;
  userId: string;
  lastReadSeq: number;
  joinedAt: string;
}

/** A room as one user sees it in their list. */
export interface RoomView extends RoomRecord {
  joined: boolean;
  lastReadSeq: number;
  /**
   * The room's newest message (seq = lastSeq), null when it has none. Read whoever the viewer
   * is: who may see it (public rooms, members) is the domain's rule.
   */
  lastMessage: RoomLastMessage | null;
  /** Who invited the viewer, while they are invited to this private room and not a member; else null. */
  invitedBy: User | null;
}

export interface RoomRepository {
  /** Creates the room with these first members (read markers at 0). */
  create(room: Omit<RoomRecord, 'memberCount' | 'lastSeq'>, memberIds: readonly string[]): Promise<RoomRecord>;
  findById(id: string): Promise<RoomRecord | null>;
  findMembership(roomId: string, userId: string): Promise<MembershipRecord | null>;
  /**
   * Adds a member (read marker at the room's last seq, so joining does not make history
   * unread) and drops their invitation. False when they already were a member.
   */
  addMember(roomId: string, userId: string, joinedAt: string): Promise<boolean>;
  /** False when they were not a member. */
  removeMember(roomId: string, userId: string): Promise<boolean>;
  memberRoomIds(userId: string): Promise<string[]>;
  /**
   * Every public room, every room the user is a member of and every private room they are
   * invited to, each with its newest message and inviter: one query, the newest message found
   * through (room_id, seq = last_seq), never by scanning messages.
   */
  listVisible(userId: string): Promise<RoomView[]>;
  /** One room as `userId` sees it (whoever they are), as listVisible would list it; null if no such room. */
  view(roomId: string, userId: string): Promise<RoomView | null>;
  addInvitation(invitation: { roomId: string; userId: string; invitedBy: string; createdAt: string }): Promise<void>;
  hasInvitation(roomId: string, userId: string): Promise<boolean>;
  removeInvitation(roomId: string, userId: string): Promise<void>;
  /** Those of `userIds` who share at least one room with `userId` (themselves included). */
  sharedWith(userId: string, userIds: readonly string[]): Promise<string[]>;
  /** Moves the read marker forward to min(seq, lastSeq); never back. Returns the marker. */
  markRead(roomId: string, userId: string, seq: number): Promise<number>;
}

export interface MessageRecord {
  id: string;
  roomId: string;
  seq: number;
  author: User;
  text: string;
  clientMsgId: string;
  createdAt: string;
}

export interface NewMessage {
  id: string;
  roomId: string;
  author: User;
  clientMsgId: string;
  text: string;
  createdAt: string;
}

export interface MessageRepository {
  /**
   * Stores a message with the room's next seq in one transaction, moving the author's read
   * marker to it. When (room, author, clientMsgId) exists, stores nothing and returns the
   * original with created: false.
   */
  append(message: NewMessage): Promise<{ message: MessageRecord; created: boolean }>;
  /** Keyset page on (room, seq), ascending. */
  history(roomId: string, query: HistoryQuery): Promise<MessageRecord[]>;
}

export interface Storage {
  users: UserRepository;
  sessions: SessionRepository;
  rooms: RoomRepository;
  messages: MessageRepository;
  /** Resolves when storage answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
