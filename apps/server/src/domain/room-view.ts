import { dmParticipants, type Room, type RoomSummary } from '@parley/protocol';
import { shownName } from './users.js';
import type { RoomRecord, RoomView, Storage } from '../storage/storage.js';

/** A room as the viewer sees it: a DM is named after the other person. */
export function toRoom(record: RoomRecord, dmNames: Map<string, string>): Room {
  return {
    id: record.id,
    kind: record.kind,
    name: record.kind === 'dm' ? (dmNames.get(record.id) ?? '') : record.name,
    memberCount: record.memberCount,
    lastSeq: record.lastSeq,
    lastRev: record.lastRev,
    topic: record.topic,
  };
}

/**
 * The room in the viewer's list. Its newest message only for a viewer who may read the room
 * (public rooms: anyone; private rooms and DMs: members, so not an invitee); the inviter only
 * while the viewer is invited and not yet a member.
 */
export function summarize(view: RoomView, dmNames: Map<string, string>): RoomSummary {
  const readable = view.kind === 'public' || view.joined;
  return {
    ...toRoom(view, dmNames),
    joined: view.joined,
    unread: view.joined ? Math.max(0, view.lastSeq - view.lastReadSeq) : 0,
    lastMessage: readable ? view.lastMessage : null,
    invitedBy: view.kind === 'private' && !view.joined ? view.invitedBy : null,
    // Counted by storage from rows above stored markers (members only): nothing to drift.
    mentions: view.joined ? view.mentions : 0,
    threadsUnread: view.joined ? view.threadsUnread : 0,
    // Stored per membership (migration 5); DMs have members only.
    role: view.joined ? (view.kind === 'dm' ? 'member' : view.role) : null,
    muted: view.joined && view.muted,
  };
}

/**
 * The DMs among these rooms named for the viewer, keyed by room id: the other members' display
 * names (usernames where none is set), sorted, joined by ', '.
 */
export async function dmNames(storage: Storage, rooms: readonly RoomRecord[], viewerId: string): Promise<Map<string, string>> {
  const others = new Map<string, string[]>();
  for (const room of rooms) {
    if (room.kind !== 'dm') continue;
    const members = dmParticipants(room.id);
    if (members)
      others.set(
        room.id,
        members.filter((id) => id !== viewerId),
      );
  }
  if (others.size === 0) return new Map();
  const users = await storage.users.findByIds([...new Set([...others.values()].flat())]);
  const names = new Map(users.map((u) => [u.id, shownName(u)]));
  const collator = new Intl.Collator('en', { sensitivity: 'base' });
  return new Map(
    [...others].map(([roomId, ids]) => [
      roomId,
      ids
        .map((id) => names.get(id) ?? '')
        .sort(collator.compare)
        .join(', '),
    ]),
  );
}
