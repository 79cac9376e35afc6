import type { QueryClient } from '@tanstack/react-query';
import type { RoomSummary } from '@parley/protocol';
import { sharedKeys } from './query-keys';

/** Helpers for the room list in the query cache, which socket events and views both update. */
export function updateRoom(queryClient: QueryClient, roomId: string, update: (room: RoomSummary) => RoomSummary): void {
  queryClient.setQueryData<RoomSummary[]>(sharedKeys.rooms, (rooms) => rooms?.map((room) => (room.id === roomId ? update(room) : room)));
}

export function upsertRoom(queryClient: QueryClient, room: RoomSummary): void {
  queryClient.setQueryData<RoomSummary[]>(sharedKeys.rooms, (rooms) => {
    if (!rooms) return rooms;
    return rooms.some((r) => r.id === room.id) ? rooms.map((r) => (r.id === room.id ? room : r)) : [...rooms, room];
  });
}

export function removeRoom(queryClient: QueryClient, roomId: string): void {
  queryClient.setQueryData<RoomSummary[]>(sharedKeys.rooms, (rooms) => rooms?.filter((r) => r.id !== roomId));
}
