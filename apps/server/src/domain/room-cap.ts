import type { Storage } from '../storage/storage.js';
import { forbidden } from './errors.js';

/**
 * How many rooms and DMs one user may belong to. The cap holds whoever adds the member: a DM
 * someone else opens, or an invitation, is refused for a full user (without telling how many rooms
 * they are in), so others cannot fill someone's rooms for them.
 */
export class RoomCap {
  constructor(
    private readonly storage: Storage,
    private readonly roomsPerUser = Number.POSITIVE_INFINITY,
  ) {}

  /** FORBIDDEN when `userId` already belongs to as many rooms as allowed; `actorId` is who is adding them. */
  async assertRoomToSpare(userId: string, actorId = userId): Promise<void> {
    if (!Number.isFinite(this.roomsPerUser)) return;
    const count = (await this.storage.rooms.memberRoomIds(userId)).length;
    if (count < this.roomsPerUser) return;
    if (actorId === userId) throw forbidden(`you are in ${count} rooms, the most allowed; leave one first`);
    throw forbidden('that user is in as many rooms as allowed and cannot be added to another');
  }
}
