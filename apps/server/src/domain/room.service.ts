import { dmParticipants, dmRoomId, type Room, type RoomSummary, type User } from '@parley/protocol';
import type { RoomRecord, RoomView, Storage } from '../storage/storage.js';
import { AppError, forbidden, notFound } from './errors.js';
import { newId } from './ids.js';

/**
 * Who may see and do what in which room. Private rooms and DMs are invisible to outsiders:
 * they get NOT_FOUND exactly as for a room that does not exist.
 */
export class RoomService {
  /**
   * Hot-path cache for the check every message, read marker and typing event makes: a
   * membership is cached once seen and dropped by every change made here.
   * Membership changes go through this service only; with several nodes, an ended membership is
   * announced to the others (onMembershipRemoved -> forgetMember on each).
   */
  private readonly members = new Map<string, Set<string>>();

  constructor(
    private readonly storage: Storage,
    /** Rooms and DMs one user may belong to. */
    private readonly roomsPerUser = Number.POSITIVE_INFINITY,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * FORBIDDEN when the user already belongs to as many rooms as allowed. The cap holds whoever
   * adds the member: a DM someone else opens, or an invitation, is refused for a full user
   * (without telling how many rooms they are in), so others cannot fill someone's rooms for them.
   */
  private async assertRoomToSpare(userId: string, actorId = userId): Promise<void> {
    if (!Number.isFinite(this.roomsPerUser)) return;
    const count = (await this.storage.rooms.memberRoomIds(userId)).length;
    if (count < this.roomsPerUser) return;
    if (actorId === userId) throw forbidden(`you are in ${count} rooms, the most allowed; leave one first`);
    throw forbidden('that user is in as many rooms as allowed and cannot be added to another');
  }

  /**
   * Resolves when the user is a member; FORBIDDEN for a public room, NOT_FOUND otherwise.
   * Answers from memory when it can.
   */
  async assertMember(userId: string, roomId: string): Promise<void> {
    if (this.members.get(roomId)?.has(userId)) return;
    await this.requireMember(userId, roomId);
  }

  private remember(roomId: string, userId: string): void {
    let set = this.members.get(roomId);
    if (!set) this.members.set(roomId, (set = new Set()));
    set.add(userId);
  }

  private forget(roomId: string, userId: string): void {
    this.members.get(roomId)?.delete(userId);
  }

  /**
   * Called after a membership ended here, so other nodes can drop it from their caches too
   * (set by the app when several nodes share the store).
   */
  onMembershipRemoved: (roomId: string, userId: string) => void = () => undefined;

  /** A membership ended on another node: stop answering from memory for it. */
  forgetMember(roomId: string, userId: string): void {
    this.forget(roomId, userId);
  }

  async create(owner: User, name: string, visibility: 'public' | 'private'): Promise<Room> {
    await this.assertRoomToSpare(owner.id);
    const record = await this.storage.rooms.create(
      { id: newId('r'), kind: visibility, name, ownerId: owner.id, createdAt: this.now().toISOString() },
      [owner.id],
    );
    return this.present(record, owner.id);
  }

  /** Joins a room the user may enter; `joined` is false when they already were a member. */
  async join(user: User, roomId: string): Promise<{ room: Room; joined: boolean }> {
    const record = await this.findVisible(user.id, roomId);
    if (record.kind === 'private') {
      const member = await this.storage.rooms.findMembership(roomId, user.id);
      if (!member && !(await this.storage.rooms.hasInvitation(roomId, user.id))) throw notFound();
    }
    if (!(await this.storage.rooms.findMembership(roomId, user.id))) await this.assertRoomToSpare(user.id);
    const joined = await this.storage.rooms.addMember(roomId, user.id, this.now().toISOString());
    return { room: await this.presentById(roomId, user.id), joined };
  }

  /** Leaves a room; `left` is false when the user was not a member (an invitation is declined). */
  async leave(user: User, roomId: string): Promise<{ left: boolean }> {
    await this.findVisible(user.id, roomId);
    await this.storage.rooms.removeInvitation(roomId, user.id);
    this.forget(roomId, user.id);
    const left = await this.storage.rooms.removeMember(roomId, user.id);
    // Again after the write: a check that read the old row may have cached it meanwhile.
    this.forget(roomId, user.id);
    this.onMembershipRemoved(roomId, user.id);
    return { left };
  }

  /**
   * The owner of a private room removes a member, or withdraws an invitation. `removed` is the
   * user when they were a member (and so must be told, and their sockets taken out of the room).
   */
  async removeMember(owner: User, roomId: string, userId: string): Promise<{ removed: User | null }> {
    const record = await this.requireMember(owner.id, roomId);
    if (record.kind !== 'private') throw forbidden('only private rooms have members removed');
    if (record.ownerId !== owner.id) throw forbidden('only the owner may remove members');
    if (userId === owner.id) throw new AppError('INVALID', 'the owner leaves with room:leave');
    const user = await this.storage.users.findById(userId);
    if (!user) throw notFound('user');
    await this.storage.rooms.removeInvitation(roomId, userId);
    this.forget(roomId, userId);
    const removed = await this.storage.rooms.removeMember(roomId, userId);
    this.forget(roomId, userId);
    this.onMembershipRemoved(roomId, userId);
    return { removed: removed ? { id: user.id, username: user.username } : null };
  }

  /** Invites a user into a private room; `invited` is false when they already are a member. */
  async invite(inviter: User, roomId: string, inviteeId: string): Promise<{ room: Room; invited: boolean }> {
    const record = await this.requireMember(inviter.id, roomId);
    if (record.kind !== 'private') throw forbidden('only private rooms take invitations');
    const invitee = await this.storage.users.findById(inviteeId);
    if (!invitee) throw notFound('user');
    if (await this.storage.rooms.findMembership(roomId, inviteeId)) {
      return { room: await this.present(record, inviteeId), invited: false };
    }
    await this.assertRoomToSpare(inviteeId, inviter.id);
    await this.storage.rooms.addInvitation({
      roomId,
      userId: inviteeId,
      invitedBy: inviter.id,
      createdAt: this.now().toISOString(),
    });
    return { room: await this.present(record, inviteeId), invited: true };
  }

  /** Opens (creating if needed) the DM with another user; both become members. */
  async openDm(user: User, otherId: string): Promise<{ room: Room; other: User; addedUserIds: string[] }> {
    if (otherId === user.id) throw new AppError('INVALID', 'a direct message needs another user');
    const other = await this.storage.users.findById(otherId);
    if (!other) throw notFound('user');
    const roomId = dmRoomId(user.id, other.id);
    if (!(await this.storage.rooms.findMembership(roomId, user.id))) await this.assertRoomToSpare(user.id);
    if (!(await this.storage.rooms.findMembership(roomId, other.id))) await this.assertRoomToSpare(other.id, user.id);
    const createdAt = this.now().toISOString();
    let record = await this.storage.rooms.findById(roomId);
    const addedUserIds: string[] = [];
    if (!record) {
      try {
        record = await this.storage.rooms.create({ id: roomId, kind: 'dm', name: '', ownerId: null, createdAt }, [
          user.id,
          other.id,
        ]);
        addedUserIds.push(user.id, other.id);
      } catch (error) {
        // Both users opened it at once: the other call created it; fall through to membership.
        record = await this.storage.rooms.findById(roomId);
        if (!record) throw error;
      }
    }
    if (addedUserIds.length === 0) {
      for (const id of [user.id, other.id]) {
        if (await this.storage.rooms.addMember(roomId, id, createdAt)) addedUserIds.push(id);
      }
    }
    return { room: await this.presentById(roomId, user.id), other, addedUserIds };
  }

  /** Every public room plus the private rooms and DMs the user belongs to. */
  async list(userId: string): Promise<RoomSummary[]> {
    const views = await this.storage.rooms.listVisible(userId);
    const names = await this.dmNames(views, userId);
    return views.map((view) => summarize(view, names));
  }

  async summary(roomId: string, userId: string): Promise<RoomSummary> {
    const record = await this.storage.rooms.findById(roomId);
    if (!record) throw notFound();
    const membership = await this.storage.rooms.findMembership(roomId, userId);
    const view: RoomView = { ...record, joined: membership !== null, lastReadSeq: membership?.lastReadSeq ?? 0 };
    return summarize(view, await this.dmNames([view], userId));
  }

  /** The room when the user is a member; FORBIDDEN for a public room, NOT_FOUND otherwise. */
  async requireMember(userId: string, roomId: string): Promise<RoomRecord> {
    const record = await this.storage.rooms.findById(roomId);
    if (!record) throw notFound();
    if (await this.storage.rooms.findMembership(roomId, userId)) {
      this.remember(roomId, userId);
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
    return toRoom(record, await this.dmNames([record], viewerId));
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
      const visible =
        (await this.storage.rooms.findMembership(roomId, userId)) ||
        (await this.storage.rooms.hasInvitation(roomId, userId));
      if (!visible) throw notFound();
    }
    return record;
  }

  /** Other-person usernames for the DMs among these rooms, keyed by room id. */
  private async dmNames(rooms: readonly RoomRecord[], viewerId: string): Promise<Map<string, string>> {
    const others = new Map<string, string>();
    for (const room of rooms) {
      if (room.kind !== 'dm') continue;
      const pair = dmParticipants(room.id);
      if (pair) others.set(room.id, pair[0] === viewerId ? pair[1] : pair[0]);
    }
    if (others.size === 0) return new Map();
    const users = await this.storage.users.findByIds([...new Set(others.values())]);
    const usernames = new Map(users.map((u) => [u.id, u.username]));
    return new Map([...others].map(([roomId, userId]) => [roomId, usernames.get(userId) ?? '']));
  }
}

function toRoom(record: RoomRecord, dmNames: Map<string, string>): Room {
  return {
    id: record.id,
    kind: record.kind,
    name: record.kind === 'dm' ? (dmNames.get(record.id) ?? '') : record.name,
    memberCount: record.memberCount,
    lastSeq: record.lastSeq,
  };
}

function summarize(view: RoomView, dmNames: Map<string, string>): RoomSummary {
  return {
    ...toRoom(view, dmNames),
    joined: view.joined,
    unread: view.joined ? Math.max(0, view.lastSeq - view.lastReadSeq) : 0,
  };
}
