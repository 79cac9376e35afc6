import type { RoomSummary } from '@parley/protocol';

type Ordered = Pick<RoomSummary, 'name' | 'lastMessage'>;

const names = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** When the room last had a message; rooms without one (or with an unreadable time) come last. */
function lastActivity(room: Ordered): number {
  const time = room.lastMessage ? Date.parse(room.lastMessage.createdAt) : Number.NaN;
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/**
 * The room list's order: the room with the newest message first; rooms without messages after them,
 * by name. Ties (the same millisecond) fall back to the name too, so the order never flickers.
 */
export function byActivity(a: Ordered, b: Ordered): number {
  const aTime = lastActivity(a);
  const bTime = lastActivity(b);
  if (aTime !== bTime) return aTime < bTime ? 1 : -1;
  return names.compare(a.name, b.name);
}
