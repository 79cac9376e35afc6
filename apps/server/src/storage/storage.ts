import type { BlobStore, FileRepository } from './files.js';
import type { RemovedMember, RoomModeration } from './moderation.js';
export type { MemberRecord, RemovedMember, RoomBan, RoomModeration } from './moderation.js';
import type { HistoryQuery, Message, MessageVersion, RoomKind, RoomLastMessage, RoomRole, User } from '@parley/protocol';

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
  searchByPrefix(prefix: string, limit: number, roomId?: string): Promise<User[]>;
  /** Sets a live account's display name ('' = show the username); the user as now shown, null if no such live account. */
  setDisplayName(userId: string, displayName: string): Promise<User | null>;
  /** Replaces a live account's password hash; false if no such live account. */
  setPasswordHash(userId: string, passwordHash: string): Promise<boolean>;
  /**
   * Deletes an account for good, keeping its row: deleted_at set, password hash and display name
   * blanked (nothing signs in, its sessions stop authenticating), invitations to it dropped, in one
   * transaction. The username stays taken and its messages keep their author id (shown as
   * `Deleted user`). False when it was already deleted or does not exist.
   */
  markDeleted(userId: string, deletedAt: string): Promise<boolean>;
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
  /** The session and its user when it exists, expires after `now`, and its account is not deleted. */
  findActive(id: string, now: number): Promise<{ session: SessionRecord; user: User } | null>;
  /** True when a session was deleted. */
  delete(id: string): Promise<boolean>;
  deleteExpired(now: number): Promise<number>;
  /** Deletes every session of the user, `exceptId` aside; the ids deleted. */
  deleteForUser(userId: string, exceptId?: string): Promise<string[]>;
}

export interface RoomRecord {
  id: string;
  kind: RoomKind;
  /** Stored name; DMs store '' and are named per viewer. */
  name: string;
  ownerId: string | null;
  memberCount: number;
  lastSeq: number;
  /** The rev of the room's latest change to its messages (v2 change stream), 0 if none. */
  lastRev: number;
  /** '' by default. */
  topic: string;
  createdAt: string;
}

export interface MembershipRecord {
  roomId: string;
  userId: string;
  lastReadSeq: number;
  joinedAt: string;
  /** Migration 5: `owner` for a room's creator, `admin`s made by the owner; every DM member is a `member`. */
  role: RoomRole;
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
  /** Issue 15, from stored rows (members only, else 0): mentions of the viewer above their read marker. */
  mentions: number;
  /** Threads the viewer follows whose last reply is above their read marker in the thread. */
  threadsUnread: number;
  /** The viewer muted the room (false when not a member). */
  muted: boolean;
  /** The viewer's role (migration 5), null when not a member. */
  role: RoomRole | null;
}

/** What addMember did: added them, found them a member already, or refused them (banned from the room). */
export type AddMemberResult = 'added' | 'member' | 'banned';

export interface RoomRepository extends RoomModeration {
  /** Creates the room with these first members (read markers at 0); `ownerId`, when a member, is its `owner`. */
  create(room: Omit<RoomRecord, 'memberCount' | 'lastSeq' | 'lastRev' | 'topic'>, memberIds: readonly string[]): Promise<RoomRecord>;
  findById(id: string): Promise<RoomRecord | null>;
  findMembership(roomId: string, userId: string): Promise<MembershipRecord | null>;
  /**
   * Adds a member (read marker at the room's last seq, so joining does not make history
   * unread; role `member`) and drops their invitation, in one transaction that also checks that
   * they are not banned from the room ('banned': nothing changes).
   */
  addMember(roomId: string, userId: string, joinedAt: string): Promise<AddMemberResult>;
  /**
   * Ends the membership (and the threads followed in it). When it was the owner's, ownership
   * passes in the same transaction to the longest-standing admin, else member (none left: no owner).
   */
  removeMember(roomId: string, userId: string): Promise<RemovedMember>;
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
  /** Mutes or unmutes the room for a member; null when they are not a member, else whether it changed. */
  setMuted(roomId: string, userId: string, muted: boolean): Promise<boolean | null>;
}

/**
 * Who a text mentions, as the domain read it (domain/mentions.ts): lowercase usernames, and
 * `everyone` for an `@room` its author may make. Storage resolves it against the room's members
 * inside the write's transaction, the author aside.
 */
export interface MentionQuery {
  usernames: readonly string[];
  everyone: boolean;
}

/** A message in its current state, as the wire carries it. */
export type MessageRecord = Message;

export interface NewMessage {
  id: string;
  roomId: string;
  author: User;
  clientMsgId: string;
  text: string;
  createdAt: string;
  /** A thread reply: the id of its root, a top-level message of the same room. */
  threadRootId?: string | null;
  /** Who the text mentions; absent or null: nobody (no query is made). */
  mentions?: MentionQuery | null;
  /**
   * Files sent with it (issue 17), in the order shown: each an unsent upload of the author's to this
   * room, claimed in append's transaction ('files-unavailable' otherwise). Absent: no query is made.
   */
  fileIds?: readonly string[] | undefined;
}

/** Why a mutation of a stored message was refused by what is stored (checked inside its transaction). */
export type MutationRefusal =
  /** No such message in that room. */
  | 'not-found'
  /** The message is deleted (an edit, a new reaction, a reply to it). */
  | 'deleted'
  /** A reply to a message that is itself a reply (threads are one level deep). */
  | 'not-top-level'
  /** A reaction would make more than LIMITS.reactionsPerMessageMax distinct emoji. */
  | 'too-many-reactions'
  /** A file of `fileIds` is unknown, another user's, of another room, or sent already (issue 17). */
  | 'files-unavailable';

/**
 * The outcome of a mutation: `changed` took the room's next rev(s) and must be broadcast;
 * `unchanged` stored nothing (the request changed nothing) and carries the current state.
 */
export type MutationResult =
  | {
      kind: 'changed';
      message: MessageRecord;
      /** A thread root whose summary changed with it (next rev). */
      root?: MessageRecord;
      /** A delete: the ids of the files whose rows it removed; their blobs (blobKeys) are the caller's to delete. */
      removedFileIds?: string[];
    }
  | { kind: 'unchanged'; message: MessageRecord }
  | { kind: 'refused'; reason: MutationRefusal };

export type AppendResult =
  | { created: true; message: MessageRecord; /** The thread root whose summary changed (its next rev). */ root?: MessageRecord }
  | { created: false; message: MessageRecord };

export interface HistoryScope extends HistoryQuery {
  threadRootId?: string | undefined;
  topLevel?: boolean | undefined;
}

export interface MessageRepository {
  /**
   * Stores a message with the room's next seq and rev in one transaction, moving the author's
   * read marker to it. When (room, author, clientMsgId) exists, stores nothing and returns the
   * original with created: false. A thread reply also updates its root's summary (the rev after
   * the reply's), in the same transaction; a root that is missing, a reply, or deleted is refused
   * (rejects with MutationRefusedError carrying the reason) and nothing is stored.
   * Mentions are stored as rows with it; the mentioned, a reply's author (read up to it) and its
   * root's author follow the thread (the message's own, or its root's).
   */
  append(message: NewMessage): Promise<AppendResult>;
  /** One message in its current state; null if there is no such message in that room. */
  find(roomId: string, messageId: string): Promise<MessageRecord | null>;
  /**
   * Replaces the text (keeping the previous text as a version, with the time it was set).
   * The same text again changes nothing; a deleted message is refused. Mentions are
   * recomputed: rows of those no longer mentioned go, the newly mentioned get theirs and follow.
   */
  edit(edit: {
    roomId: string;
    messageId: string;
    text: string;
    editedAt: string;
    mentions?: MentionQuery | null;
  }): Promise<MutationResult>;
  /**
   * Makes the message a tombstone for good: text, versions, reactions, mentions and files erased (the
   * `files` rows removed, their ids in `removedFileIds`). Deleting a deleted message changes nothing.
   * Deleting a reply also updates its root's thread summary.
   */
  delete(target: { roomId: string; messageId: string }): Promise<MutationResult>;
  /** Adds (on) or removes this user's reaction. Nothing to do changes nothing; adding to a deleted message is refused. */
  setReaction(reaction: { roomId: string; messageId: string; userId: string; emoji: string; on: boolean }): Promise<MutationResult>;
  /** Every earlier text of the message, oldest first, then the current one; [] once deleted or if not found. */
  versions(roomId: string, messageId: string): Promise<MessageVersion[]>;
  /**
   * Messages whose latest change is newer than afterRev, ascending by rev, at most limit: a
   * keyset page on (room, rev). lastRev: the room's lastRev when this is the last page, else
   * the rev of the page's last message. Read in one snapshot.
   */
  changes(roomId: string, afterRev: number, limit: number): Promise<{ messages: MessageRecord[]; lastRev: number; more: boolean }>;
  /** Keyset page on (room, seq), ascending; of one thread's replies, or of top-level messages only. */
  history(roomId: string, query: HistoryScope): Promise<MessageRecord[]>;
  /** Moves the user's read marker in a thread forward (never back); returns it. */
  markThreadRead(roomId: string, threadRootId: string, userId: string, seq: number): Promise<number>;
}

/** A search of current message texts (GET /api/search), in the rooms `userId` is a member of. */
export interface SearchQuery {
  userId: string;
  /** Searched literally: a case-insensitive substring, at least 3 code points, in any script. */
  text: string;
  /** Only this room (still only if the user is a member of it). */
  roomId?: string | undefined;
  /** The id of the last result of the previous page: only messages older than it. */
  before?: string | undefined;
  limit: number;
}

/** A match and the room it is in, as stored (a DM's name is '': the domain names it per viewer). */
export interface SearchHitRecord {
  message: MessageRecord;
  room: { id: string; name: string; kind: RoomKind };
}

export interface SearchRepository {
  /**
   * Messages whose current text contains `text` (case-insensitively), never a deleted one, in
   * rooms the user is a member of, newest first, at most limit, through the engine's text index.
   * A `before` that names no message the user could find gives [].
   */
  messages(query: SearchQuery): Promise<SearchHitRecord[]>;
}

export interface Storage {
  users: UserRepository;
  sessions: SessionRepository;
  rooms: RoomRepository;
  messages: MessageRepository;
  search: SearchRepository;
  /** Issue 17: uploads' rows and the quota ledger. */
  files: FileRepository;
  /** Issue 17: file bytes (DATA_DIR/files with SQLite, chunks in PostgreSQL). */
  blobs: BlobStore;
  /** Resolves when storage answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
