import { useCallback, useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useConnectionStore } from '../../../lib/connection.store';
import { request, SocketRequestError, type ParleySocket } from '../../../lib/socket';
import { useSocket } from '../../../lib/socket-context';
import { addMessages } from '../api/messages.api';
import { newClientMsgId, useChatStore } from '../chat.store';

const inFlight = new Set<string>();

/**
 * Sends what is in the outbox, oldest first, one at a time so a user's messages are stored in
 * the order they were typed. Retries reuse the clientMsgId, so the server stores each once.
 * Runs on every (re)connection and whenever something is enqueued.
 */
async function drain(socket: ParleySocket, queryClient: ReturnType<typeof useQueryClient>): Promise<void> {
  for (;;) {
    if (!socket.connected) return;
    const next = useChatStore.getState().outbox.find((m) => m.status === 'pending');
    if (!next || inFlight.has(next.clientMsgId)) return;
    inFlight.add(next.clientMsgId);
    try {
      const { message } = await request(socket, 'message:send', {
        roomId: next.roomId,
        clientMsgId: next.clientMsgId,
        text: next.text,
      });
      addMessages(queryClient, message.roomId, [message]);
      useChatStore.getState().settle(next.clientMsgId);
    } catch (error) {
      if (error instanceof SocketRequestError && error.code === 'TIMEOUT') {
        // No answer: stay pending; the next connection (or this one, if still up) sends it again.
        if (socket.connected) continue;
        return;
      }
      const reason = error instanceof SocketRequestError && error.code === 'UNAVAILABLE'
        ? 'Parley could not store it. Try again.'
        : error instanceof Error ? error.message : 'Not sent.';
      useChatStore.getState().fail(next.clientMsgId, reason);
    } finally {
      inFlight.delete(next.clientMsgId);
    }
  }
}

export function useOutbox(): void {
  const socket = useSocket();
  const queryClient = useQueryClient();
  const generation = useConnectionStore((s) => s.generation);
  const pendingCount = useChatStore((s) => s.outbox.filter((m) => m.status === 'pending').length);

  useEffect(() => {
    if (generation > 0 && pendingCount > 0) void drain(socket, queryClient);
  }, [socket, queryClient, generation, pendingCount]);
}

/** Puts a message in the outbox; it shows as pending at once and is sent when connected. */
export function useSendMessage(roomId: string) {
  return useCallback(
    (text: string) => {
      useChatStore.getState().enqueue({
        clientMsgId: newClientMsgId(),
        roomId,
        text,
        createdAt: new Date().toISOString(),
        status: 'pending',
      });
    },
    [roomId],
  );
}
