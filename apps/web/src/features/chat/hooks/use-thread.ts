import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Message } from '@parley/protocol';
import { useSocket } from '../../../lib/socket-context';
import { roomMessagesQueryOptions } from '../api/messages.api';
import { threadRepliesQueryOptions, threadRootQueryOptions } from '../api/thread.api';

/** Where the root of an open thread stands: shown, on its way, or not to be had. */
export type RootStatus = 'ready' | 'loading' | 'failed' | 'missing';

/** The newer state of one message seen from two places (the room's window and the thread's own cache). */
function newer(a: Message | null, b: Message | null): Message | null {
  if (!a || !b) return a ?? b;
  return b.rev > a.rev ? b : a;
}

/**
 * An open thread's data: its replies (newest page first, paged older on demand) and its root, as
 * the room's window holds it, else fetched at `rootSeq`. Both are forgotten once the thread closes
 * (gcTime 0): reopening fetches them fresh instead of showing what went stale while closed.
 */
export function useThread(roomId: string, rootId: string, rootSeq: number | undefined) {
  const socket = useSocket();
  const queryClient = useQueryClient();
  const replies = useQuery({ ...threadRepliesQueryOptions(socket, queryClient, roomId, rootId), gcTime: 0 });
  const roomWindow = useQuery({
    ...roomMessagesQueryOptions(roomId),
    select: (data) => data.messages.find((m) => m.id === rootId) ?? null,
  });
  const held = roomWindow.data ?? null;
  const fetched = useQuery({
    ...threadRootQueryOptions(socket, queryClient, roomId, rootId, rootSeq),
    enabled: roomWindow.isSuccess && !held,
    gcTime: 0,
  });
  const root = newer(held, fetched.data ?? null);
  let rootStatus: RootStatus = 'ready';
  if (!root) {
    if (roomWindow.isPending || (fetched.isPending && fetched.fetchStatus === 'fetching')) rootStatus = 'loading';
    else if (fetched.isError) rootStatus = 'failed';
    else rootStatus = 'missing';
  }
  return { replies, root, rootStatus };
}
