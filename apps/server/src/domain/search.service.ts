import type { SearchHit, SearchQuery } from '@parley/protocol';
import type { RoomRecord, SearchHitRecord, Storage } from '../storage/storage.js';
import { notFound } from './errors.js';
import { dmNames } from './room-view.js';

/**
 * GET /api/search (CONTRACT.md v2, issue 15): current texts of the rooms the user is a member of,
 * never a deleted message, newest first. A `roomId` narrows to one of those rooms; any other room
 * (unknown, private, or public but not joined) is NOT_FOUND, as history answers for a room it
 * may not show. DMs are named after the other person, as in the room list.
 */
export class SearchService {
  constructor(private readonly storage: Storage) {}

  async messages(userId: string, query: SearchQuery): Promise<SearchHit[]> {
    if (query.roomId !== undefined && !(await this.storage.rooms.findMembership(query.roomId, userId))) throw notFound();
    const hits = await this.storage.search.messages({
      userId,
      text: query.q,
      roomId: query.roomId,
      before: query.before,
      limit: query.limit,
    });
    // dmNames reads a room's id and kind only.
    const rooms = new Map(hits.map(({ room }) => [room.id, room]));
    const names = await dmNames(this.storage, [...rooms.values()].map(asRecord), userId);
    return hits.map(({ message, room }) => ({
      message,
      room: { ...room, name: room.kind === 'dm' ? (names.get(room.id) ?? '') : room.name },
    }));
  }
}

const asRecord = ({ id, kind, name }: SearchHitRecord['room']): RoomRecord => ({
  id,
  kind,
  name,
  ownerId: null,
  memberCount: 0,
  lastSeq: 0,
  lastRev: 0,
  topic: '',
  createdAt: '',
});
