import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Room, RoomRole } from '@parley/protocol';
import { updateRoom } from '../../../lib/rooms-cache';
import { useSocket } from '../../../lib/socket-context';

/**
 * Feeds a room's own changes into the room list: its name and topic (`room:updated`), and my role in
 * it (`room:member-role` about me), so the header's actions follow at once. Being removed or banned
 * arrives as `room:left` (useRoomEvents).
 */
export function useRoomChanges(meId: string): void {
  const socket = useSocket();
  const queryClient = useQueryClient();
  useEffect(() => {
    const onUpdated = ({ room }: { room: Room }) =>
      updateRoom(queryClient, room.id, (r) =>
        r.name === room.name && r.topic === room.topic ? r : { ...r, name: room.name, topic: room.topic },
      );
    const onRole = ({ roomId, userId, role }: { roomId: string; userId: string; role: RoomRole }) => {
      if (userId === meId) updateRoom(queryClient, roomId, (r) => (r.joined ? { ...r, role } : r));
    };
    socket.on('room:updated', onUpdated);
    socket.on('room:member-role', onRole);
    return () => {
      socket.off('room:updated', onUpdated);
      socket.off('room:member-role', onRole);
    };
  }, [socket, queryClient, meId]);
}
