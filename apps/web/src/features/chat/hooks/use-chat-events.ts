import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Message, User } from '@parley/protocol';
import { useConnectionStore } from '../../../lib/connection.store';
import { useSocket } from '../../../lib/socket-context';
import { addMessages, catchUp, lastContiguousSeq, messageKeys, type RoomMessages } from '../api/messages.api';
import { useChatStore } from '../chat.store';

const CATCH_UP_PARALLEL = 4;

/** Feeds message and typing events into the cache and the chat store; catches up after reconnects. */
export function useChatEvents(me: User): void {
  const socket = useSocket();
  const queryClient = useQueryClient();
  const generation = useConnectionStore((s) => s.generation);

  useEffect(() => {
    const onMessage = (message: Message) => {
      const chat = useChatStore.getState();
      if (message.author.id === me.id) chat.settle(message.clientMsgId);
      else chat.setTyping(message.roomId, { userId: message.author.id, username: message.author.username }, false);
      const data = queryClient.getQueryData<RoomMessages>(messageKeys.room(message.roomId));
      if (!data) return;
      const expected = lastContiguousSeq(data.messages) + 1;
      addMessages(queryClient, message.roomId, [message]);
      // A seq beyond the next one means something was missed: fetch the gap. Not so while the
      // window's newest end is trimmed: what lies beyond it is paged in when the reader gets there.
      if (message.seq > expected && data.messages.length > 0 && !data.hasNewer) void catchUp(queryClient, message.roomId);
    };
    const onTyping = ({ roomId, userId, username, typing }: { roomId: string; userId: string; username: string; typing: boolean }) => {
      if (userId !== me.id) useChatStore.getState().setTyping(roomId, { userId, username }, typing);
    };
    socket.on('message:created', onMessage);
    socket.on('typing:changed', onTyping);
    const expiry = setInterval(() => useChatStore.getState().expireTyping(), 2_000);
    return () => {
      socket.off('message:created', onMessage);
      socket.off('typing:changed', onTyping);
      clearInterval(expiry);
    };
  }, [socket, queryClient, me.id]);

  // After every (re)connection that was not recovered (a recovered one had what it missed
  // replayed), fetch what was missed in every room held, a few rooms at a time.
  useEffect(() => {
    if (generation === 0 || useConnectionStore.getState().recovered) return;
    const roomIds = queryClient
      .getQueriesData<RoomMessages>({ queryKey: messageKeys.all })
      .filter(([, data]) => data !== undefined)
      .map(([key]) => key[1] as string);
    const queue = [...roomIds];
    const worker = async () => {
      for (let roomId = queue.shift(); roomId; roomId = queue.shift()) {
        await catchUp(queryClient, roomId).catch(() => undefined);
      }
    };
    void Promise.all(Array.from({ length: CATCH_UP_PARALLEL }, worker));
  }, [generation, queryClient]);
}
