import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Message, User } from '@parley/protocol';
import { findRoom } from '../../../lib/rooms-cache';
import { useSocket } from '../../../lib/socket-context';
import { roomsQueryOptions } from '../api/rooms.api';
import { notificationText, notifies, titleFor } from '../attention';
import { notificationApi, useNotificationsStore } from '../notifications.store';

/**
 * What asks for my attention, outside the page: the title `(N) Parley` (unread mentions plus unread
 * DM messages), and, with `Desktop notifications` on and the tab hidden, a notification for each DM
 * message or mention of me in a room I did not mute; clicking one opens its room.
 */
export function useAttention(me: User, openRoom: (roomId: string) => void): void {
  const socket = useSocket();
  const queryClient = useQueryClient();
  const title = titleFor(useQuery(roomsQueryOptions).data ?? []);
  useEffect(() => {
    document.title = title;
  }, [title]);
  useEffect(() => () => void (document.title = 'Parley'), []);

  useEffect(() => {
    const onMessage = (message: Message) => {
      const api = notificationApi();
      if (!api || api.permission !== 'granted' || !useNotificationsStore.getState().enabled) return;
      if (document.visibilityState !== 'hidden') return;
      const room = findRoom(queryClient, message.roomId);
      if (!room || !notifies(message, room, me.id)) return;
      const { title: heading, body } = notificationText(message, room);
      // One per room at a time (`tag`): a newer message replaces the one before.
      const notification = new api(heading, { body, tag: message.roomId });
      notification.onclick = () => {
        window.focus();
        openRoom(message.roomId);
        notification.close();
      };
    };
    socket.on('message:created', onMessage);
    return () => void socket.off('message:created', onMessage);
  }, [socket, queryClient, me.id, openRoom]);
}
