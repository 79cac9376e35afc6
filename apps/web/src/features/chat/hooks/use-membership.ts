import { useCallback, useSyncExternalStore } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { RoomRole, User } from '@parley/protocol';
import { sharedKeys } from '../../../lib/query-keys';
import { findRoom } from '../../../lib/rooms-cache';

/** The signed-in user, as the session query holds it (undefined outside a session). */
export function useMe(): User | undefined {
  const queryClient = useQueryClient();
  return queryClient.getQueryData<User | null>(sharedKeys.me) ?? undefined;
}

/** The signed-in user's id ('' outside a session). */
export function useMeId(): string {
  return useMe()?.id ?? '';
}

/**
 * Whether I am a member of a room, and my role in it, from the room list in the cache (kept current
 * by the rooms feature's events): what a message's actions depend on.
 */
export function useMembership(roomId: string): { joined: boolean; role: RoomRole | null } {
  const queryClient = useQueryClient();
  const subscribe = useCallback((onChange: () => void) => queryClient.getQueryCache().subscribe(onChange), [queryClient]);
  const joined = useSyncExternalStore(subscribe, () => findRoom(queryClient, roomId)?.joined ?? false);
  const role = useSyncExternalStore(subscribe, () => findRoom(queryClient, roomId)?.role ?? null);
  return { joined, role };
}
