import { LIMITS, dmRoomId, type Room, type User } from '@parley/protocol';
import type { Storage } from '../storage/storage.js';
import { AppError, notFound } from './errors.js';
import type { RoomCap } from './room-cap.js';
import { isDeleted } from './users.js';
import { dmNames, toRoom } from './room-view.js';

/**
 * Direct messages among 2 to 9 people: one room per set of users, `dm:` + every member id sorted,
 * created on first open. Its members are fixed (CONTRACT.md v2): another set is another room.
 */
export class DmService {
  constructor(
    private readonly storage: Storage,
    private readonly cap: RoomCap,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Opens (creating if needed) the DM of the user and `otherIds` (1 to 8 others; the user and
   * repeats count once); every one of them becomes a member. `others` are the other members,
   * `added` those who became members now (and must be told).
   */
  async open(user: User, otherIds: readonly string[]): Promise<{ room: Room; others: User[]; added: User[] }> {
    const wanted = [...new Set(otherIds)].filter((id) => id !== user.id);
    if (wanted.length === 0) throw new AppError('INVALID', 'a direct message needs another user');
    if (wanted.length > LIMITS.dmMembersMax - 1)
      throw new AppError('INVALID', `a direct message has at most ${LIMITS.dmMembersMax} people`);
    const found = await this.storage.users.findByIds(wanted);
    const others = wanted.map((id) => found.find((u) => u.id === id));
    if (others.some((u) => u === undefined || isDeleted(u))) throw notFound('user');
    const people = [user, ...(others as User[])];
    const roomId = dmRoomId(...people.map((u) => u.id));
    for (const person of people) {
      if (!(await this.storage.rooms.findMembership(roomId, person.id))) await this.cap.assertRoomToSpare(person.id, user.id);
    }
    const createdAt = this.now().toISOString();
    let record = await this.storage.rooms.findById(roomId);
    const added: User[] = [];
    if (!record) {
      try {
        record = await this.storage.rooms.create(
          { id: roomId, kind: 'dm', name: '', ownerId: null, createdAt },
          people.map((u) => u.id),
        );
        added.push(...people);
      } catch (error) {
        // Another member opened it at the same moment: that call created it; fall through to membership.
        record = await this.storage.rooms.findById(roomId);
        if (!record) throw error;
      }
    }
    if (added.length === 0) {
      for (const person of people) {
        if ((await this.storage.rooms.addMember(roomId, person.id, createdAt)) === 'added') added.push(person);
      }
    }
    const current = await this.storage.rooms.findById(roomId);
    if (!current) throw notFound();
    return { room: toRoom(current, await dmNames(this.storage, [current], user.id)), others: others as User[], added };
  }
}
