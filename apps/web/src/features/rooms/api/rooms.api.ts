import { queryOptions, skipToken, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Room, RoomSummary, User } from '@parley/protocol';
import { apiFetch } from '../../../lib/api';
import { sharedKeys } from '../../../lib/query-keys';
import { findRoom, removeRoom, toSummary, updateRoom, upsertRoom } from '../../../lib/rooms-cache';
import { request } from '../../../lib/socket';
import { useSocket } from '../../../lib/socket-context';

export const roomKeys = {
  list: sharedKeys.rooms,
  presence: ['presence'] as const,
  userSearch: (q: string) => ['users', 'search', q] as const,
};

export const roomsQueryOptions = queryOptions({
  queryKey: roomKeys.list,
  queryFn: async () => (await apiFetch<{ rooms: RoomSummary[] }>('/api/rooms')).rooms,
});

export const userSearchQueryOptions = (q: string) =>
  queryOptions({
    queryKey: roomKeys.userSearch(q),
    queryFn: async () => (await apiFetch<{ users: User[] }>(`/api/users?q=${encodeURIComponent(q)}`)).users,
    staleTime: 30_000,
  });

/** Who is online, by user id; written only by presence answers and presence:changed events. */
export type PresenceMap = Record<string, boolean>;

export const presenceQueryOptions = queryOptions<PresenceMap>({ queryKey: roomKeys.presence, queryFn: skipToken });

/** A room I am now in, as the list keeps it (its newest message, if the list knew it, stays). */
const joinedSummary = (queryClient: QueryClient, room: Room, unread = 0, role?: RoomSummary['role']): RoomSummary =>
  toSummary(room, findRoom(queryClient, room.id), { joined: true, unread, ...(role && { role }) });

export function useCreateRoom() {
  const socket = useSocket();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; visibility: 'public' | 'private' }) => request(socket, 'room:create', input),
    // The creator is the room's owner.
    onSuccess: ({ room }) => upsertRoom(queryClient, joinedSummary(queryClient, room, 0, 'owner')),
  });
}

export function useJoinRoom() {
  const socket = useSocket();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (roomId: string) => request(socket, 'room:join', { roomId }),
    onSuccess: ({ room }) => upsertRoom(queryClient, joinedSummary(queryClient, room)),
  });
}

export function useLeaveRoom() {
  const socket = useSocket();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (room: RoomSummary) => {
      await request(socket, 'room:leave', { roomId: room.id });
      return room;
    },
    onSuccess: (room) => forgetMembership(queryClient, room),
  });
}

export function useInvite() {
  const socket = useSocket();
  return useMutation({
    mutationFn: (input: { roomId: string; userId: string }) => request(socket, 'room:invite', input),
  });
}

/**
 * Mute or unmute a room (stored on the server, so my other devices follow through `room:muted`).
 * Shown at once; put back if the server refuses.
 */
export function useMuteRoom() {
  const socket = useSocket();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { roomId: string; muted: boolean }) => request(socket, 'room:mute', input),
    onMutate: ({ roomId, muted }) => updateRoom(queryClient, roomId, (r) => ({ ...r, muted })),
    onError: (_error, { roomId, muted }) => updateRoom(queryClient, roomId, (r) => ({ ...r, muted: !muted })),
  });
}

/** Opens the DM with one person, or the group DM with several (the same people, the same room). */
export function useOpenDm() {
  const socket = useSocket();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userIds: readonly string[]) =>
      request(socket, 'dm:open', userIds.length === 1 ? { userId: userIds[0]! } : { userIds: [...userIds] }),
    onSuccess: ({ room }) => upsertRoom(queryClient, joinedSummary(queryClient, room, findRoom(queryClient, room.id)?.unread ?? 0)),
  });
}

/** After leaving (or declining): public rooms stay listed (to browse), private rooms and DMs disappear. */
export function forgetMembership(queryClient: QueryClient, room: Pick<RoomSummary, 'id' | 'kind'>) {
  if (room.kind === 'public') {
    updateRoom(queryClient, room.id, (r) => ({
      ...r,
      joined: false,
      unread: 0,
      mentions: 0,
      threadsUnread: 0,
      muted: false,
      role: null,
      memberCount: Math.max(0, r.memberCount - 1),
    }));
  } else {
    removeRoom(queryClient, room.id);
  }
}
