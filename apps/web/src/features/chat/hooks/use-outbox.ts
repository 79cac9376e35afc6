import { useCallback, useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useConnectionStore } from '../../../lib/connection.store';
import { request, SocketRequestError, type ParleySocket } from '../../../lib/socket';
import { useSocket } from '../../../lib/socket-context';
import { addMessages } from '../api/messages.api';
import { newClientMsgId, useChatStore } from '../chat.store';

const inFlight = new Set<string>();

/** Answers that mean nothing was stored yet and trying again later can work. */
const TRY_AGAIN: ReadonlySet<string> = new Set(['TIMEOUT', 'UNAVAILABLE', 'RATE_LIMITED']);
const MAX_BACKOFF_MS = 30_000;

/** Why a send failed: the server's reason (written for people), or a plain one for a server fault. */
function failureReason(error: unknown): string {
  if (!(error instanceof SocketRequestError)) return 'Not sent.';
  return error.code === 'INTERNAL' ? 'Parley could not store it. Try again.' : error.message;
}

/**
 * Sends what is in the outbox, oldest first, one at a time, so a user's messages are stored in the
 * order they were typed. Every attempt reuses the clientMsgId, so the server stores each once
 * however often it is sent. No answer, or an answer that nothing could be stored yet, keeps the
 * message pending and tries it again (after a growing pause while connected, at once after a
 * reconnection); only an answer the user can act on marks it failed. Runs on every (re)connection
 * and whenever something is enqueued or restored.
 */
async function drain(socket: ParleySocket, queryClient: ReturnType<typeof useQueryClient>): Promise<void> {
  let attempt = 0;
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
      attempt = 0;
    } catch (error) {
      if (error instanceof SocketRequestError && TRY_AGAIN.has(error.code)) {
        if (!socket.connected) return; // the next connection sends it again
        if (error.code !== 'TIMEOUT') {
          attempt += 1;
          await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_BACKOFF_MS, 250 * 2 ** (attempt - 1))));
        }
        continue;
      }
      useChatStore.getState().fail(next.clientMsgId, failureReason(error));
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
