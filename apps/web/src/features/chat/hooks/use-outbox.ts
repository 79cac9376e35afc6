import { useCallback, useEffect } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Message, MessageFile } from '@parley/protocol';
import { useConnectionStore } from '../../../lib/connection.store';
import { request, SocketRequestError, type ParleySocket } from '../../../lib/socket';
import { useSocket } from '../../../lib/socket-context';
import { applyMessage } from '../api/message-changes.api';
import { newClientMsgId, useChatStore, type OutgoingMessage, type PendingChange } from '../chat.store';

const inFlight = new Set<string>();

/** Answers that mean nothing was stored yet and trying again later can work. */
const TRY_AGAIN: ReadonlySet<string> = new Set(['TIMEOUT', 'UNAVAILABLE', 'RATE_LIMITED']);
const MAX_BACKOFF_MS = 30_000;

/** Why a send failed: the server's reason (written for people), or a plain one for a server fault. */
function failureReason(error: unknown): string {
  if (!(error instanceof SocketRequestError)) return 'Not sent.';
  return error.code === 'INTERNAL' ? 'Parley could not store it. Try again.' : error.message;
}

const CHANGE_FAILED: Record<PendingChange['kind'], string> = {
  edit: 'Not edited',
  delete: 'Not deleted',
  reaction: 'Reaction not saved',
};

/** Why a change was refused, as the message shows it. */
function changeRefusal(change: PendingChange, error: unknown): string {
  const reason = error instanceof SocketRequestError && error.code !== 'INTERNAL' ? error.message : 'Parley could not store it.';
  return `${CHANGE_FAILED[change.kind]}: ${reason}`;
}

type Item = { send: OutgoingMessage; change?: never } | { change: PendingChange; send?: never };

/** The oldest thing made that is still to be sent: a pending send or a change, by id (UUIDv7, in the order made). */
function nextItem(): Item | undefined {
  const { outbox, changes } = useChatStore.getState();
  const send = outbox.find((m) => m.status === 'pending');
  const change = changes[0];
  if (send && (!change || send.clientMsgId < change.id)) return { send };
  return change ? { change } : undefined;
}

function sendRequest(socket: ParleySocket, send: OutgoingMessage): Promise<{ message: Message }> {
  return request(socket, 'message:send', {
    roomId: send.roomId,
    clientMsgId: send.clientMsgId,
    text: send.text,
    ...(send.threadRootId ? { threadRootId: send.threadRootId } : {}),
    ...(send.files?.length ? { fileIds: send.files.map((f) => f.id) } : {}),
  });
}

function changeRequest(socket: ParleySocket, change: PendingChange): Promise<{ message: Message }> {
  const { roomId, messageId } = change;
  switch (change.kind) {
    case 'edit':
      return request(socket, 'message:edit', { roomId, messageId, text: change.text });
    case 'delete':
      return request(socket, 'message:delete', { roomId, messageId });
    case 'reaction':
      return request(socket, 'reaction:set', { roomId, messageId, emoji: change.emoji, on: change.on });
  }
}

/**
 * Sends what is in the outbox (sends, edits, deletes, reactions), oldest first, one at a time, so
 * they reach the server in the order they were made. Every attempt of a send reuses its clientMsgId,
 * so the server stores it once however often it is sent; every change is idempotent by its result,
 * so it is resent as it is. No answer, or an answer that nothing could be stored yet, keeps it
 * pending and tries again (after a growing pause while connected, at once after a reconnection). A
 * refused send is marked failed (the user can retry it); a refused change leaves the outbox and its
 * message shows why. Each ack's message state is applied (newer revs only). Runs on every
 * (re)connection and whenever something is enqueued or restored.
 */
async function drain(socket: ParleySocket, queryClient: QueryClient): Promise<void> {
  let attempt = 0;
  for (;;) {
    if (!socket.connected) return;
    const next = nextItem();
    if (!next) return;
    const id = next.send ? next.send.clientMsgId : next.change.id;
    if (inFlight.has(id)) return;
    inFlight.add(id);
    try {
      const { message } = next.send ? await sendRequest(socket, next.send) : await changeRequest(socket, next.change);
      applyMessage(queryClient, message);
      if (next.send) useChatStore.getState().settle(id);
      else useChatStore.getState().settleChange(id);
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
      if (next.send) useChatStore.getState().fail(id, failureReason(error));
      else useChatStore.getState().refuseChange(id, changeRefusal(next.change, error));
    } finally {
      inFlight.delete(id);
    }
  }
}

export function useOutbox(): void {
  const socket = useSocket();
  const queryClient = useQueryClient();
  const generation = useConnectionStore((s) => s.generation);
  const pendingCount = useChatStore((s) => s.outbox.filter((m) => m.status === 'pending').length + s.changes.length);

  useEffect(() => {
    if (generation > 0 && pendingCount > 0) void drain(socket, queryClient);
  }, [socket, queryClient, generation, pendingCount]);
}

/**
 * Puts a message (with the files uploaded for it) in the outbox; it shows as pending at once and is sent when connected. With
 * `threadRootId`, a reply in that thread (the thread panel shows it, the room's main view does not).
 */
export function useSendMessage(roomId: string, threadRootId?: string) {
  return useCallback(
    (text: string, files: readonly MessageFile[] = []) => {
      useChatStore.getState().enqueue({
        clientMsgId: newClientMsgId(),
        roomId,
        text,
        ...(threadRootId ? { threadRootId } : {}),
        ...(files.length > 0 ? { files: [...files] } : {}),
        createdAt: new Date().toISOString(),
        status: 'pending',
      });
    },
    [roomId, threadRootId],
  );
}

type ChangeInput = { kind: 'edit'; text: string } | { kind: 'delete' } | { kind: 'reaction'; emoji: string; on: boolean };

/** Puts a change to a stored message in the outbox: it shows at once as pending and is sent in order when connected. */
export function enqueueChange(message: Pick<Message, 'id' | 'roomId'>, change: ChangeInput): void {
  useChatStore.getState().enqueueChange({
    ...change,
    id: newClientMsgId(),
    roomId: message.roomId,
    messageId: message.id,
    createdAt: new Date().toISOString(),
  });
}
