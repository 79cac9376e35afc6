import { dmParticipants, type Room, type RoomRole, type RoomSummary } from '@parley/protocol';
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

/** The viewer's role: the creator of a room is its owner; DMs have no owner (every member is a member). */
export function roleOf(record: RoomRecord, viewerId: string, joined: boolean): RoomRole | null {
  if (!joined) return null;
  return record.kind !== 'dm' && record.ownerId === viewerId ? 'owner' : 'member';
}

/**
 * The room in the viewer's list. Its newest message only for a viewer who may read the room
 * (public rooms: anyone; private rooms and DMs: members, so not an invitee); the inviter only
 * while the viewer is invited and not yet a member.
 */
export function summarize(view: RoomView, dmNames: Map<string, string>, viewerId: string): RoomSummary {
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
    role: roleOf(view, viewerId, view.joined),
    muted: view.joined && view.muted,
  };
}

/** Other-person usernames for the DMs among these rooms, keyed by room id. */
export async function dmNames(storage: Storage, rooms: readonly RoomRecord[], viewerId: string): Promise<Map<string, string>> {
  const others = new Map<string, string>();
  for (const room of rooms) {
    if (room.kind !== 'dm') continue;
    const pair = dmParticipants(room.id);
    if (pair) others.set(room.id, pair[0] === viewerId ? pair[1] : pair[0]);
  }
  if (others.size === 0) return new Map();
  const users = await storage.users.findByIds([...new Set(others.values())]);
  const usernames = new Map(users.map((u) => [u.id, u.username]));
  return new Map([...others].map(([roomId, userId]) => [roomId, usernames.get(userId) ?? '']));
}
