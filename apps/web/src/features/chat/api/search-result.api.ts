// Opening a room at one of its messages (a search result): the window around it, fetched unless held.
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { RoomMessages } from './message-window';
import { messageKeys, openAt } from './messages.api';

/**
 * Makes the room's window hold its top-level message `seq`, with a page of history on each side
 * when it has to fetch it (`openAt`). A first page of the room still on its way is cancelled: it
 * would replace the window around `seq` when it landed.
 */
export async function showMessageAt(queryClient: QueryClient, roomId: string, seq: number): Promise<void> {
  const held = queryClient.getQueryData<RoomMessages>(messageKeys.room(roomId));
  if (held?.messages.some((m) => m.seq === seq)) return;
  await queryClient.cancelQueries({ queryKey: messageKeys.room(roomId), exact: true });
  await openAt(queryClient, roomId, seq);
}

/** `showMessageAt` as a query, so a route can wait for it (and show its failure); done again on each visit. */
export const messageAtQueryOptions = (queryClient: QueryClient, roomId: string, seq: number) =>
  queryOptions({
    queryKey: ['message-at', roomId, seq] as const,
    queryFn: () => showMessageAt(queryClient, roomId, seq).then(() => seq),
    staleTime: 0,
    gcTime: 0,
  });
