import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { dmParticipants, type RoomSummary, type User } from '@parley/protocol';
import { usePeopleStore } from './people.store';
import { sharedKeys } from './query-keys';
import { useSocket } from './socket-context';

/**
 * `user:updated` (someone's display name changed, or their account was deleted): shown at once
 * wherever they appear (the people store), my own `me` replaced when it is me, and the room list
 * asked for again when they are in one of my DMs (a DM is named by its other members, on the server).
 */
export function usePeopleEvents(meId: string): void {
  const socket = useSocket();
  const queryClient = useQueryClient();
  useEffect(() => {
    const onUpdated = ({ user }: { user: User }) => {
      usePeopleStore.getState().heard(user);
      if (user.id === meId) queryClient.setQueryData<User | null>(sharedKeys.me, user);
      const rooms = queryClient.getQueryData<RoomSummary[]>(sharedKeys.rooms) ?? [];
      const inMyDms = rooms.some((room) => room.kind === 'dm' && user.id !== meId && dmParticipants(room.id)?.includes(user.id));
      if (inMyDms) void queryClient.invalidateQueries({ queryKey: sharedKeys.rooms });
    };
    socket.on('user:updated', onUpdated);
    return () => {
      socket.off('user:updated', onUpdated);
    };
  }, [socket, queryClient, meId]);
  useEffect(() => () => usePeopleStore.getState().reset(), []);
}
