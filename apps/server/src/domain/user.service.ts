import { LIMITS, type User } from '@parley/protocol';
import type { Storage } from '../storage/storage.js';
import type { RoomService } from './room.service.js';

export class UserService {
  constructor(
    private readonly storage: Storage,
    private readonly rooms: RoomService,
  ) {}

  /**
   * Users whose username starts with `prefix`, at most LIMITS.userSearchMax, by username. With
   * `roomId`, only that room's members (the composer's `@` completion): a room the viewer may not
   * read is NOT_FOUND, as its history is.
   */
  async search(viewerId: string, prefix: string, roomId?: string): Promise<User[]> {
    if (roomId === undefined) return this.storage.users.searchByPrefix(prefix, LIMITS.userSearchMax);
    await this.rooms.requireReadable(viewerId, roomId);
    return this.storage.users.searchByPrefix(prefix, LIMITS.userSearchMax, roomId);
  }
}
