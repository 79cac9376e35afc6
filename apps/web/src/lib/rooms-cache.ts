import type { QueryClient } from '@tanstack/react-query';
import type { Message, Room, RoomLastMessage, RoomSummary } from '@parley/protocol';
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

export function findRoom(queryClient: QueryClient, roomId: string): RoomSummary | undefined {
  return queryClient.getQueryData<RoomSummary[]>(sharedKeys.rooms)?.find((r) => r.id === roomId);
}

/**
 * A room from an ack or an event (which carry no summary fields) as the list keeps it: what the list
 * already knew of its newest message stays, the rest comes from `fields`.
 */
export function toSummary(
  room: Room,
  known: RoomSummary | undefined,
  fields: Pick<RoomSummary, 'joined' | 'unread'> & Partial<Pick<RoomSummary, 'invitedBy' | 'role'>>,
): RoomSummary {
  return {
    ...room,
    lastMessage: known?.lastMessage ?? null,
    invitedBy: null,
    mentions: known?.mentions ?? 0,
    threadsUnread: known?.threadsUnread ?? 0,
    muted: fields.joined ? (known?.muted ?? false) : false,
    role: fields.joined ? (known?.role ?? 'member') : null,
    ...fields,
  };
}

/** What the room list shows of a message: its preview. */
export function lastMessageOf(message: Pick<Message, 'text' | 'author' | 'createdAt' | 'files'>): RoomLastMessage {
  return { text: message.text, author: message.author, createdAt: message.createdAt, files: message.files.length };
}
