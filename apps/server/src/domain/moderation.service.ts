import type { Room, RoomRole, User } from '@parley/protocol';
import type { MemberRecord, RoomRecord, Storage } from '../storage/storage.js';
import { forbidden, invalid, notFound } from './errors.js';
import type { RoomService } from './room.service.js';

/** A moderator's room and their role in it. */
interface Moderating {
  record: RoomRecord;
  role: 'owner' | 'admin';
}

/**
 * Roles and moderation in public and private rooms (DMs have neither; CONTRACT.md v2). The owner
 * makes and unmakes admins; owners and admins rename a room, set its topic, remove and ban members
 * and lift bans. The power rule (as Element's power levels and Zulip's roles): nobody acts on the
 * owner, an admin acts on members only, the owner on anyone; nobody removes themself this way.
 */
export class ModerationService {
  constructor(
    private readonly storage: Storage,
    private readonly rooms: RoomService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Renames the room and/or sets its topic (already valid by the protocol's schemas). */
  async update(actor: User, roomId: string, change: { name?: string | undefined; topic?: string | undefined }): Promise<Room> {
    await this.requireModerator(actor.id, roomId);
    const record = await this.storage.rooms.update(roomId, change);
    if (!record) throw notFound();
    return this.rooms.present(record, actor.id);
  }

  /** The owner makes a member admin or an admin member again; `room` is set when it changed. */
  async setRole(actor: User, roomId: string, userId: string, role: 'admin' | 'member'): Promise<{ room: Room | null }> {
    const { record, role: mine } = await this.requireModerator(actor.id, roomId);
    if (mine !== 'owner') throw forbidden('only the owner makes and unmakes admins');
    if (userId === actor.id) throw invalid("the owner's role does not change");
    if (!(await this.storage.rooms.findMembership(roomId, userId))) throw notFound('user');
    const changed = await this.storage.rooms.setRole(roomId, userId, role);
    return { room: changed ? await this.rooms.present(record, actor.id) : null };
  }

  /**
   * Removes a member (without `ban`, a non-member's invitation to a private room is withdrawn), or
   * bans the user, member or not, so that they cannot join again. `removed` is the user when they
   * were a member (and so must be told, and their sockets taken out of the room).
   */
  async remove(actor: User, roomId: string, userId: string, ban: boolean): Promise<{ removed: User | null }> {
    const { role: mine } = await this.requireModerator(actor.id, roomId);
    if (userId === actor.id) throw invalid('leave the room with room:leave');
    const user = await this.storage.users.findById(userId);
    if (!user) throw notFound('user');
    const theirs = (await this.storage.rooms.findMembership(roomId, userId))?.role;
    if (theirs === 'owner') throw forbidden('nobody removes the owner');
    if (theirs === 'admin' && mine !== 'owner') throw forbidden('only the owner removes an admin');
    const removed = await this.rooms.endingMembership(roomId, userId, async () => {
      if (ban) return this.storage.rooms.ban({ roomId, userId, bannedBy: actor.id, createdAt: this.now().toISOString() });
      await this.storage.rooms.removeInvitation(roomId, userId);
      return (await this.storage.rooms.removeMember(roomId, userId)).removed;
    });
    return { removed: removed ? user : null };
  }

  /** Lifts a ban; nothing to lift is no error. */
  async unban(actor: User, roomId: string, userId: string): Promise<void> {
    await this.requireModerator(actor.id, roomId);
    await this.storage.rooms.unban(roomId, userId);
  }

  /** A page of the room's members by username: public rooms for anyone signed in, others for members. */
  async members(viewerId: string, roomId: string, page: { after?: string | undefined; limit: number }): Promise<MemberRecord[]> {
    await this.rooms.requireReadable(viewerId, roomId);
    return this.storage.rooms.members(roomId, page);
  }

  /** The room when the user is its owner or an admin; refused as requireMember refuses outsiders. */
  private async requireModerator(userId: string, roomId: string): Promise<Moderating> {
    const record = await this.rooms.requireMember(userId, roomId);
    if (record.kind === 'dm') throw forbidden('direct messages have no owner or admins');
    const role: RoomRole | undefined = (await this.storage.rooms.findMembership(roomId, userId))?.role;
    if (role !== 'owner' && role !== 'admin') throw forbidden('only owners and admins may do this');
    return { record, role };
  }
}
