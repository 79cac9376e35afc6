import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RoomRole } from '@parley/protocol';
import { updateRoom } from '../../../lib/rooms-cache';
import { request } from '../../../lib/socket';
import { useSocket } from '../../../lib/socket-context';
import { memberKeys, updateMember, withoutMember, type MembersData } from './room-members.api';

/** Renames a room or sets its topic (owners and admins); the room list shows the stored room at once. */
export function useUpdateRoom() {
  const socket = useSocket();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { roomId: string; name?: string; topic?: string }) => request(socket, 'room:update', input),
    onSuccess: ({ room }) => updateRoom(queryClient, room.id, (r) => ({ ...r, name: room.name, topic: room.topic })),
  });
}

/** The owner makes or unmakes an admin; the members panel shows it without waiting for `room:member-role`. */
export function useSetRole() {
  const socket = useSocket();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { roomId: string; userId: string; role: Exclude<RoomRole, 'owner'> }) => {
      await request(socket, 'room:set-role', input);
      return input;
    },
    onSuccess: ({ roomId, userId, role }) =>
      queryClient.setQueryData<MembersData>(memberKeys.room(roomId), (data) => data && updateMember(data, userId, (m) => ({ ...m, role }))),
  });
}

/** Removes a member (and with `ban`, keeps them out); they leave the panel without waiting for `room:member-left`. */
export function useRemoveMember() {
  const socket = useSocket();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { roomId: string; userId: string; ban: boolean }) => {
      await request(socket, 'room:remove-member', input);
      return input;
    },
    onSuccess: ({ roomId, userId }) =>
      queryClient.setQueryData<MembersData>(memberKeys.room(roomId), (data) => data && withoutMember(data, userId)),
  });
}

/** Lifts a ban: the person may join again (they are not added back). */
export function useUnban() {
  const socket = useSocket();
  return useMutation({
    mutationFn: (input: { roomId: string; userId: string }) => request(socket, 'room:unban', input),
  });
}
