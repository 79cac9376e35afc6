import { useEffect, useState } from 'react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import type { RoomRole, User } from '@parley/protocol';
import { useConnectionStore } from '../../../lib/connection.store';
import { useSocket } from '../../../lib/socket-context';
import {
  memberKeys,
  membersQueryOptions,
  newMember,
  updateMember,
  withMember,
  withoutMember,
  type MembersData,
} from '../api/room-members.api';

/**
 * A room's members, paged, kept live while in use: who joins and leaves, roles, presence and
 * display names. After a reconnection (events were missed) the pages held are fetched again.
 */
export function useRoomMembers(roomId: string) {
  const socket = useSocket();
  const queryClient = useQueryClient();
  const members = useInfiniteQuery(membersQueryOptions(socket, roomId));
  const generation = useConnectionStore((s) => s.generation);

  useEffect(() => {
    const key = memberKeys.room(roomId);
    const change = (update: (data: MembersData) => MembersData) =>
      queryClient.setQueryData<MembersData>(key, (data) => data && update(data));
    const onJoined = (event: { roomId: string; user: User }) => {
      if (event.roomId === roomId) change((data) => withMember(data, newMember(event.user)));
    };
    const onLeft = (event: { roomId: string; userId: string }) => {
      if (event.roomId === roomId) change((data) => withoutMember(data, event.userId));
    };
    const onRole = (event: { roomId: string; userId: string; role: RoomRole }) => {
      if (event.roomId === roomId) change((data) => updateMember(data, event.userId, (m) => ({ ...m, role: event.role })));
    };
    const onPresence = ({ userId, online }: { userId: string; online: boolean }) =>
      change((data) => updateMember(data, userId, (m) => ({ ...m, online })));
    const onUser = ({ user }: { user: User }) => change((data) => updateMember(data, user.id, (m) => ({ ...m, user })));

    socket.on('room:member-joined', onJoined);
    socket.on('room:member-left', onLeft);
    socket.on('room:member-role', onRole);
    socket.on('presence:changed', onPresence);
    socket.on('user:updated', onUser);
    return () => {
      socket.off('room:member-joined', onJoined);
      socket.off('room:member-left', onLeft);
      socket.off('room:member-role', onRole);
      socket.off('presence:changed', onPresence);
      socket.off('user:updated', onUser);
    };
  }, [socket, queryClient, roomId]);

  // The first connection's refetch is the query's own fetch; later ones follow what was missed.
  const [firstGeneration] = useState(generation);
  useEffect(() => {
    if (generation > firstGeneration) void queryClient.invalidateQueries({ queryKey: memberKeys.room(roomId) });
  }, [generation, firstGeneration, queryClient, roomId]);

  return members;
}
