import type { RoomMember, RoomSummary } from '@parley/protocol';

/** What an owner or admin may do to another member (CONTRACT.md v2): the server refuses anything else. */
export type MemberAction = 'make-admin' | 'remove-admin' | 'remove' | 'ban';

type MyPlace = Pick<RoomSummary, 'kind' | 'role'>;

/** Owners and admins run public and private rooms: rename, set the topic, remove, ban. DMs have no one in charge. */
export function canModerate(room: MyPlace): boolean {
  return room.kind !== 'dm' && (room.role === 'owner' || room.role === 'admin');
}

/**
 * The actions I get for a member: never on myself or the owner; the owner makes and unmakes admins;
 * an admin removes and bans members but not other admins.
 */
export function memberActions(room: MyPlace, member: RoomMember, meId: string): MemberAction[] {
  if (!canModerate(room) || member.user.id === meId || member.role === 'owner') return [];
  if (room.role === 'owner') return [member.role === 'admin' ? 'remove-admin' : 'make-admin', 'remove', 'ban'];
  return member.role === 'member' ? ['remove', 'ban'] : [];
}
