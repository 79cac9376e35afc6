import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Message, RoomSummary, ServerPayload, User } from '@parley/protocol';
import { useConnectionStore } from '../../../lib/connection.store';
import { sharedKeys } from '../../../lib/query-keys';
import { useSocket } from '../../../lib/socket-context';
import { applyMessage, catchUpChanges, syncRevsFromRooms } from '../api/message-changes.api';
import { heldRoomIds } from '../api/messages.api';
import { useChatStore } from '../chat.store';

const CATCH_UP_PARALLEL = 4;

type TypingChanged = ServerPayload<'typing:changed'>;

/**
 * Feeds message and typing events into the cache and the chat store, and follows each room's change
 * stream (`rev`): a change whose rev skips one means something was missed, fetched with
 * `message:changes`; so is everything missed across a reconnection that was not recovered.
 */
export function useChatEvents(me: User): void {
  const socket = useSocket();
  const queryClient = useQueryClient();
  const generation = useConnectionStore((s) => s.generation);

  // Where each room's stream starts: the room list's lastRev (and whenever the list changes).
  useEffect(() => {
    const sync = () => {
      const rooms = queryClient.getQueryData<RoomSummary[]>(sharedKeys.rooms);
      if (!rooms) return;
      for (const roomId of syncRevsFromRooms(queryClient, rooms)) catchUpChanges(socket, queryClient, roomId).catch(() => undefined);
    };
    sync();
    return queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.query.queryKey[0] === sharedKeys.rooms[0]) sync();
    });
  }, [socket, queryClient]);

  useEffect(() => {
    const follow = (message: Message) => {
      applyMessage(queryClient, message);
      if (useChatStore.getState().noteRev(message.roomId, message.rev) === 'gap') {
        catchUpChanges(socket, queryClient, message.roomId).catch(() => undefined);
      }
    };
    const onCreated = (message: Message) => {
      const chat = useChatStore.getState();
      if (message.author.id === me.id) chat.settle(message.clientMsgId);
      else chat.setTyping(message.roomId, { userId: message.author.id, username: message.author.username, displayName: '' }, false);
      follow(message);
    };
    const onTyping = ({ roomId, userId, username, displayName, typing }: TypingChanged) => {
      if (userId !== me.id) useChatStore.getState().setTyping(roomId, { userId, username, displayName }, typing);
    };
    socket.on('message:created', onCreated);
    socket.on('message:updated', follow);
    socket.on('typing:changed', onTyping);
    const expiry = setInterval(() => useChatStore.getState().expireTyping(), 2_000);
    return () => {
      socket.off('message:created', onCreated);
      socket.off('message:updated', follow);
      socket.off('typing:changed', onTyping);
      clearInterval(expiry);
    };
  }, [socket, queryClient, me.id]);

  // After every (re)connection that was not recovered (a recovered one had what it missed replayed,
  // and a gap in it is caught up as it shows), fetch the changes missed in every joined room whose
  // messages are held, a few rooms at a time. A joined room not held needs none: its stream moves
  // forward with the room list, which is fetched again after every connection.
  useEffect(() => {
    if (generation === 0 || useConnectionStore.getState().recovered) return;
    const joined = new Set((queryClient.getQueryData<RoomSummary[]>(sharedKeys.rooms) ?? []).filter((r) => r.joined).map((r) => r.id));
    const queue = heldRoomIds(queryClient).filter((roomId) => joined.has(roomId));
    const worker = async () => {
      for (let roomId = queue.shift(); roomId; roomId = queue.shift()) {
        await catchUpChanges(socket, queryClient, roomId).catch(() => undefined);
      }
    };
    void Promise.all(Array.from({ length: CATCH_UP_PARALLEL }, worker));
  }, [generation, socket, queryClient]);
}
