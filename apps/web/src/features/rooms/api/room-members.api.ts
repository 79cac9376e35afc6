import { infiniteQueryOptions, type InfiniteData } from '@tanstack/react-query';
import type { RoomMember, RoomRole, User } from '@parley/protocol';
import { request, type ParleySocket } from '../../../lib/socket';

/** How many members a page asks for (the server's default; 10,000 members are 100 pages, fetched on demand). */
export const MEMBERS_PAGE = 100;

/** A page of members by username; `next` is the username to ask after, when the page came back full. */
export interface MembersPage {
  members: RoomMember[];
  next: string | undefined;
}
export type MembersData = InfiniteData<MembersPage, string | undefined>;

export const memberKeys = {
  room: (roomId: string) => ['members', roomId] as const,
};

/**
 * A room's members, paged by username over `room:members` (`after` = the last username held). Kept
 * live by `useRoomMembersEvents` while the panel is open, and dropped when it closes (gcTime 0).
 */
export const membersQueryOptions = (socket: ParleySocket, roomId: string) =>
  infiniteQueryOptions({
    queryKey: memberKeys.room(roomId),
    queryFn: async ({ pageParam }): Promise<MembersPage> => {
      const { members } = await request(socket, 'room:members', {
        roomId,
        limit: MEMBERS_PAGE,
        ...(pageParam !== undefined && { after: pageParam }),
      });
      return { members, next: members.length === MEMBERS_PAGE ? members.at(-1)?.user.username : undefined };
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next,
    gcTime: 0,
  });

/** Every member held, in the server's order (by username). */
export const membersOf = (data: Pick<MembersData, 'pages'> | undefined): RoomMember[] => data?.pages.flatMap((p) => p.members) ?? [];

/** Changes the members with this user id (their role, presence or name). */
export function updateMember(data: MembersData, userId: string, update: (member: RoomMember) => RoomMember): MembersData {
  return { ...data, pages: data.pages.map((p) => ({ ...p, members: p.members.map((m) => (m.user.id === userId ? update(m) : m)) })) };
}

export function withoutMember(data: MembersData, userId: string): MembersData {
  return { ...data, pages: data.pages.map((p) => ({ ...p, members: p.members.filter((m) => m.user.id !== userId) })) };
}

/**
 * A member who joined, in their place by username when it falls among the pages held; one after
 * the last page held comes with the page that holds them. Someone already held is replaced.
 */
export function withMember(data: MembersData, member: RoomMember): MembersData {
  const { username } = member.user;
  const held = membersOf(data).some((m) => m.user.id === member.user.id);
  if (held) return updateMember(data, member.user.id, () => member);
  const bound = data.pages.at(-1)?.next;
  if (bound !== undefined && username > bound) return data;
  // The first page whose last member sorts after them, else the last page.
  let index = data.pages.findIndex((p) => (p.members.at(-1)?.user.username ?? '') > username);
  if (index === -1) index = data.pages.length - 1;
  return {
    ...data,
    pages: data.pages.map((p, i) => {
      if (i !== index) return p;
      const at = p.members.findIndex((m) => m.user.username > username);
      const members = [...p.members];
      members.splice(at === -1 ? members.length : at, 0, member);
      return { ...p, members };
    }),
  };
}

/** A person who just joined: a member, online (they joined from a connected client). */
export const newMember = (user: User, role: RoomRole = 'member'): RoomMember => ({ user, role, online: true });
