import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Message } from '@parley/protocol';
import { useConnectionStore } from '../../../lib/connection.store';
import { useSocket } from '../../../lib/socket-context';
import { subscribeToMessageChanges } from '../api/change-listeners';
import { addReplies, refreshNewestReplies, threadKeys, updateRoot } from '../api/thread.api';

/**
 * Keeps an open thread live from the room's change stream (`subscribeToMessageChanges`: live
 * `message:created` and `message:updated`, acks of my sends, catch-up answers): a new or changed
 * reply goes into the thread's cache (each once, the highest rev winning), a changed root into the
 * root's. After a reconnection that replayed nothing, the newest page of replies is fetched again
 * and merged (the change stream's catch-up covers joined rooms only; this covers any open thread).
 */
export function useThreadEvents(roomId: string, rootId: string): void {
  const socket = useSocket();
  const queryClient = useQueryClient();

  useEffect(
    () =>
      subscribeToMessageChanges((message: Message) => {
        if (message.roomId !== roomId) return;
        if (message.id === rootId) updateRoot(queryClient, message);
        else if (message.threadRootId === rootId) addReplies(queryClient, roomId, rootId, [message]);
      }),
    [queryClient, roomId, rootId],
  );

  const generation = useConnectionStore((s) => s.generation);
  const openedAt = useRef(generation);
  useEffect(() => {
    // The thread's first fetch covers the connection it opened on.
    if (generation === openedAt.current || useConnectionStore.getState().recovered) return;
    if (queryClient.getQueryData(threadKeys.replies(roomId, rootId))) {
      refreshNewestReplies(socket, queryClient, roomId, rootId).catch(() => undefined);
    } else {
      void queryClient.invalidateQueries({ queryKey: threadKeys.replies(roomId, rootId) });
    }
    void queryClient.invalidateQueries({ queryKey: threadKeys.root(roomId, rootId) });
  }, [generation, socket, queryClient, roomId, rootId]);
}
