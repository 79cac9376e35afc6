import type { RoomRole, User } from '@parley/protocol';
import type { RoomRecord } from './storage.js';

/**
 * What storage does for room moderation (issue 16): names and topics, roles, bans, the member
 * list, and who owns a room once its owner is gone. Part of RoomRepository (storage.ts).
 */

/** A member as room:members lists them: the user as shown, and their role. */
export interface MemberRecord {
  user: User;
  role: RoomRole;
}

/** What removing a member did: whether they were one, and who became owner because the owner left. */
export interface RemovedMember {
  removed: boolean;
  /** The member who now owns the room (the longest-standing admin, else member); null when ownership did not pass. */
  newOwnerId: string | null;
}

export interface RoomBan {
  roomId: string;
  userId: string;
  bannedBy: string;
  createdAt: string;
}

export interface RoomModeration {
  /** Sets the name and/or topic; null when there is no such room. */
  update(roomId: string, change: { name?: string | undefined; topic?: string | undefined }): Promise<RoomRecord | null>;
  /** Makes a member admin or member again; whether it changed. The owner's membership is never touched. */
  setRole(roomId: string, userId: string, role: 'admin' | 'member'): Promise<boolean>;
  /**
   * In one transaction: removes the membership (as removeMember does, ownership passing on if it
   * was the owner's), drops the invitation and stores the ban. Whether they were a member.
   */
  ban(ban: RoomBan): Promise<boolean>;
  /** Whether a ban was lifted. */
  unban(roomId: string, userId: string): Promise<boolean>;
  isBanned(roomId: string, userId: string): Promise<boolean>;
  /** A keyset page of members by username (those after `after`), at most `limit`, from the (room_id, username) index. */
  members(roomId: string, page: { after?: string | undefined; limit: number }): Promise<MemberRecord[]>;
}
