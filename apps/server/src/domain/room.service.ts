import { dmParticipants, type Room, type RoomSummary, type User } from '@parley/protocol';
import type { RoomRecord, Storage } from '../storage/storage.js';
import { forbidden, notFound } from './errors.js';
import { NO_ROOM_EVENTS, type RoomEvents } from './events.js';
import { newId } from './ids.js';
import type { MembershipCache } from './membership-cache.js';
import type { RoomCap } from './room-cap.js';
import { dmNames, summarize, toRoom } from './room-view.js';

/**
 * Who may see and do what in which room. Private rooms and DMs are invisible to outsiders:
 * they get NOT_FOUND exactly as for a room that does not exist.
 */
export class RoomService {
  constructor(
    private readonly storage: Storage,
    private readonly cap: RoomCap,
    /** Memberships answered from memory; every change made here keeps it true. */
    private readonly members: MembershipCache,
    private readonly events: RoomEvents = NO_ROOM_EVENTS,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Resolves when the user is a member; FORBIDDEN for a public room, NOT_FOUND otherwise.
   * Answers from memory when it can.
   */
  async assertMember(userId: string, roomId: string): Promise<void> {
    if (this.members.has(roomId, userId)) return;
    await this.requireMember(userId, roomId);
  }

  /** A membership ended on another node: stop answering from memory for it. */
  forgetMember(roomId: string, userId: string): void {
    this.members.forget(roomId, userId);
  }

  async create(owner: User, name: string, visibility: 'public' | 'private'): Promise<Room> {
    await this.cap.assertRoomToSpare(owner.id);
    const record = await this.storage.rooms.create(
      { id: newId('r'), kind: visibility, name, ownerId: owner.id, createdAt: this.now().toISOString() },
      [owner.id],
    );
    return this.present(record, owner.id);
  }

  /** Joins a room the user may enter; `joined` is false when they already were a member. */
  async join(user: User, roomId: string): Promise<{ room: Room; joined: boolean }> {
    // Before the private room's NOT_FOUND: whoever was banned knew the room.
    await this.assertNotBanned(user.id, roomId, 'you are banned from this room');
    const record = await this.findVisible(user.id, roomId);
    if (record.kind === 'private') {
      const member = await this.storage.rooms.findMembership(roomId, user.id);
      if (!member && !(await this.storage.rooms.hasInvitation(roomId, user.id))) throw notFound();
    }
    if (!(await this.storage.rooms.findMembership(roomId, user.id))) await this.cap.assertRoomToSpare(user.id);
    const result = await this.storage.rooms.addMember(roomId, user.id, this.now().toISOString());
    if (result === 'banned') throw forbidden('you are banned from this room');
    return { room: await this.presentById(roomId, user.id), joined: result === 'added' };
  }

  /**
   * Leaves a room; `left` is false when the user was not a member (an invitation is declined).
   * When the owner leaves, `newOwnerId` is the member who owns the room now (else null).
   */
  async leave(user: User, roomId: string): Promise<{ left: boolean; newOwnerId: string | null }> {
    await this.findVisible(user.id, roomId);
    await this.storage.rooms.removeInvitation(roomId, user.id);
    const { removed, newOwnerId } = await this.endingMembership(roomId, user.id, () => this.storage.rooms.removeMember(roomId, user.id));
    return { left: removed, newOwnerId };
  }

  /**
   * Runs the write that ends a membership, keeping the membership cache true on every node: it is
   * forgotten before the write and again after it (a check that read the old row may have cached
   * it meanwhile), and other nodes are told.
   */
  async endingMembership<T>(roomId: string, userId: string, write: () => Promise<T>): Promise<T> {
    this.members.forget(roomId, userId);
    try {
      return await write();
    } finally {
      this.members.forget(roomId, userId);
      this.events.membershipEnded(roomId, userId);
    }
  }

  /** FORBIDDEN with `message` when the user is banned from the room (DMs have no bans). */
  async assertNotBanned(userId: string, roomId: string, message: string): Promise<void> {
    if (await this.storage.rooms.isBanned(roomId, userId)) throw forbidden(message);
  }

  /** Invites a user into a private room; `invited` is false when they already are a member. */
  async invite(inviter: User, roomId: string, inviteeId: string): Promise<{ room: Room; invited: boolean }> {
    const record = await this.requireMember(inviter.id, roomId);
    if (record.kind !== 'private') throw forbidden('only private rooms take invitations');
    const invitee = await this.storage.users.findById(inviteeId);
    if (!invitee) throw notFound('user');
    await this.assertNotBanned(inviteeId, roomId, 'they are banned from this room');
    if (await this.storage.rooms.findMembership(roomId, inviteeId)) {
      return { room: await this.present(record, inviteeId), invited: false };
    }
    await this.cap.assertRoomToSpare(inviteeId, inviter.id);
    await this.storage.rooms.addInvitation({
      roomId,
      userId: inviteeId,
      invitedBy: inviter.id,
      createdAt: this.now().toISOString(),
    });
    return { room: await this.present(record, inviteeId), invited: true };
  }

  /** Every public room, the private rooms and DMs the user belongs to, and the private rooms they are invited to. */
  async list(userId: string): Promise<RoomSummary[]> {
    const views = await this.storage.rooms.listVisible(userId);
    const names = await dmNames(this.storage, views, userId);
    return views.map((view) => summarize(view, names));
  }

  /** The room as it stands in the user's list (with its preview and inviter, as they may see them). */
  async summary(roomId: string, userId: string): Promise<RoomSummary> {
    const view = await this.storage.rooms.view(roomId, userId);
    if (!view) throw notFound();
    return summarize(view, await dmNames(this.storage, [view], userId));
  }

  /** The room when the user is a member; FORBIDDEN for a public room, NOT_FOUND otherwise. */
  async requireMember(userId: string, roomId: string): Promise<RoomRecord> {
    const record = await this.storage.rooms.findById(roomId);
    if (!record) throw notFound();
    if (await this.storage.rooms.findMembership(roomId, userId)) {
      this.members.remember(roomId, userId);
      return record;
    }
    if (record.kind === 'public') throw forbidden('join the room first');
    throw notFound();
  }

  /** The room when the user may read it: any public room, or one they belong to. */
  async requireReadable(userId: string, roomId: string): Promise<RoomRecord> {
    const record = await this.storage.rooms.findById(roomId);
    if (!record) throw notFound();
    if (record.kind === 'public' || (await this.storage.rooms.findMembership(roomId, userId))) return record;
    throw notFound();
  }

  async markRead(userId: string, roomId: string, seq: number): Promise<void> {
    await this.assertMember(userId, roomId);
    await this.storage.rooms.markRead(roomId, userId, seq);
  }

  /**
   * Mutes or unmutes the room for its member (refused as room:read refuses); `changed` false
   * when it already was so. Muted rooms still count mentions: mute is for notifications.
   */
  async setMuted(userId: string, roomId: string, muted: boolean): Promise<{ changed: boolean }> {
    await this.assertMember(userId, roomId);
    const changed = await this.storage.rooms.setMuted(roomId, userId, muted);
    // Left between the check and the write: as for anyone who is not a member.
    if (changed === null) await this.requireMember(userId, roomId);
    return { changed: changed === true };
  }

  /** Those of `userIds` the user may know the presence of: people who share a room with them. */
  sharedWith(userId: string, userIds: readonly string[]): Promise<string[]> {
    return this.storage.rooms.sharedWith(userId, userIds);
  }

  memberRoomIds(userId: string): Promise<string[]> {
    return this.storage.rooms.memberRoomIds(userId);
  }

  async presentById(roomId: string, viewerId: string): Promise<Room> {
    const record = await this.storage.rooms.findById(roomId);
    if (!record) throw notFound();
    return this.present(record, viewerId);
  }

  /** A room as the viewer sees it: a DM is named after the other person. */
  async present(record: RoomRecord, viewerId: string): Promise<Room> {
    return toRoom(record, await dmNames(this.storage, [record], viewerId));
  }

  /**
   * The room when the user can see it at all. DMs are visible to their two users only,
   * private rooms to members and invitees.
   */
  private async findVisible(userId: string, roomId: string): Promise<RoomRecord> {
    const record = await this.storage.rooms.findById(roomId);
    if (!record) throw notFound();
    if (record.kind === 'dm' && !dmParticipants(roomId)?.includes(userId)) throw notFound();
    if (record.kind === 'private') {
      const visible = (await this.storage.rooms.findMembership(roomId, userId)) || (await this.storage.rooms.hasInvitation(roomId, userId));
      if (!visible) throw notFound();
    }
    return record;
  }
}
