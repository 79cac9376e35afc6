import { dmRoomId, type Room, type User } from '@parley/protocol';
import type { Storage } from '../storage/storage.js';
import { AppError, notFound } from './errors.js';
import type { RoomCap } from './room-cap.js';
import { dmNames, toRoom } from './room-view.js';

/** Direct messages: one room per pair of users, `dm:` + both ids sorted, created on first open. */
export class DmService {
  constructor(
    private readonly storage: Storage,
    private readonly cap: RoomCap,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Opens (creating if needed) the DM with another user; both become members. */
  async open(user: User, otherId: string): Promise<{ room: Room; other: User; addedUserIds: string[] }> {
    if (otherId === user.id) throw new AppError('INVALID', 'a direct message needs another user');
    const other = await this.storage.users.findById(otherId);
    if (!other) throw notFound('user');
    const roomId = dmRoomId(user.id, other.id);
    if (!(await this.storage.rooms.findMembership(roomId, user.id))) await this.cap.assertRoomToSpare(user.id);
    if (!(await this.storage.rooms.findMembership(roomId, other.id))) await this.cap.assertRoomToSpare(other.id, user.id);
    const createdAt = this.now().toISOString();
    let record = await this.storage.rooms.findById(roomId);
    const addedUserIds: string[] = [];
    if (!record) {
      try {
        record = await this.storage.rooms.create({ id: roomId, kind: 'dm', name: '', ownerId: null, createdAt }, [user.id, other.id]);
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
    const current = await this.storage.rooms.findById(roomId);
    if (!current) throw notFound();
    return { room: toRoom(current, await dmNames(this.storage, [current], user.id)), other, addedUserIds };
  }
}
