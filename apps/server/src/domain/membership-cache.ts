import { LRUCache } from 'lru-cache';

/**
 * Hot-path cache for the membership check every message, read marker and typing event makes.
 * A membership is remembered once seen and forgotten by every change that ends it; with several
 * nodes, ended memberships are announced so every node forgets them (RoomEvents). Bounded: the
 * least recently used entries go first, and a miss only costs one storage read.
 */
export class MembershipCache {
  private readonly entries: LRUCache<string, true>;

  constructor(maxEntries: number) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  has(roomId: string, userId: string): boolean {
    return this.entries.get(key(roomId, userId)) === true;
  }

  remember(roomId: string, userId: string): void {
    this.entries.set(key(roomId, userId), true);
  }

  forget(roomId: string, userId: string): void {
    this.entries.delete(key(roomId, userId));
  }
}

/** Ids never hold a newline (protocol idSchema), so the pair is unambiguous. */
function key(roomId: string, userId: string): string {
  return `${roomId}\n${userId}`;
}
