import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { dmParticipants, type Message, type Room, type RoomSummary, type User } from '@parley/protocol';
import { useActiveRoomStore } from '../../../lib/active-room.store';
import { useConnectionStore } from '../../../lib/connection.store';
import { findRoom, lastMessageOf, toSummary, updateRoom, upsertRoom } from '../../../lib/rooms-cache';
import { request } from '../../../lib/socket';
import { useSocket } from '../../../lib/socket-context';
import { forgetMembership, roomKeys, roomsQueryOptions, type PresenceMap } from '../api/rooms.api';

/** Feeds room-level socket events into the query cache: membership, counts, unread, newest message, presence. */
export function useRoomEvents(me: User): void {
  const socket = useSocket();
  const queryClient = useQueryClient();
  const generation = useConnectionStore((s) => s.generation);
  const rooms = useQuery(roomsQueryOptions).data;

  useEffect(() => {
    const onJoined = ({ room }: { room: RoomSummary }) => upsertRoom(queryClient, room);
    const onLeft = ({ roomId }: { roomId: string }) => {
      const room = findRoom(queryClient, roomId);
      if (room) forgetMembership(queryClient, room);
    };
    const onInvited = ({ room, by }: { room: Room; by: User }) =>
      upsertRoom(queryClient, toSummary(room, undefined, { joined: false, unread: 0, invitedBy: by }));
    const onMemberCount =
      (delta: number) =>
      ({ roomId, userId }: { roomId: string; userId: string }) => {
        if (userId !== me.id) updateRoom(queryClient, roomId, (r) => ({ ...r, memberCount: Math.max(0, r.memberCount + delta) }));
      };
    const onMemberJoined = ({ roomId, user }: { roomId: string; user: User }) => onMemberCount(1)({ roomId, userId: user.id });
    const onMemberLeft = onMemberCount(-1);
    const onMessage = (message: Message) => {
      const { roomId, seq, author } = message;
      const active = useActiveRoomStore.getState();
      const seenNow = active.roomId === roomId && active.readingLive;
      updateRoom(queryClient, roomId, (r) => {
        if (seq <= r.lastSeq) return r;
        const countsAsUnread = r.joined && author.id !== me.id && !seenNow;
        return {
          ...r,
          lastSeq: seq,
          unread: countsAsUnread ? r.unread + (seq - r.lastSeq) : r.unread,
          mentions: countsAsUnread && message.mentions.includes(me.id) ? r.mentions + 1 : r.mentions,
          lastMessage: lastMessageOf(message),
        };
      });
    };
    // An edit or a delete of the room's newest message changes its preview. An unread message that
    // now mentions me (an edit may add me), or was deleted (and may have), changes the mention count:
    // the server's count, from its stored markers, is asked for again.
    const onUpdated = (message: Message) => {
      const room = findRoom(queryClient, message.roomId);
      const unread = room?.joined && message.seq > room.lastSeq - room.unread && message.author.id !== me.id;
      if (unread && (message.deleted || message.mentions.includes(me.id))) void queryClient.invalidateQueries({ queryKey: roomKeys.list });
      updateRoom(queryClient, message.roomId, (r) =>
        message.seq === r.lastSeq && r.lastMessage ? { ...r, lastMessage: lastMessageOf(message) } : r,
      );
    };
    const onMuted = ({ roomId, muted }: { roomId: string; muted: boolean }) => updateRoom(queryClient, roomId, (r) => ({ ...r, muted }));
    const onCreated = ({ room }: { room: Room }) => {
      if (!findRoom(queryClient, room.id)) upsertRoom(queryClient, toSummary(room, undefined, { joined: false, unread: 0 }));
    };
    const onPresence = ({ userId, online }: { userId: string; online: boolean }) =>
      queryClient.setQueryData<PresenceMap>(roomKeys.presence, (map) => ({ ...map, [userId]: online }));

    const handlers = {
      'room:joined': onJoined,
      'room:left': onLeft,
      'room:invited': onInvited,
      'room:created': onCreated,
      'room:member-joined': onMemberJoined,
      'room:member-left': onMemberLeft,
      'message:created': onMessage,
      'message:updated': onUpdated,
      'room:muted': onMuted,
      'presence:changed': onPresence,
    } as const;
    const entries = Object.entries(handlers) as Array<[keyof typeof handlers, (payload: never) => void]>;
    for (const [event, handler] of entries) socket.on(event, handler as never);
    return () => {
      for (const [event, handler] of entries) socket.off(event, handler as never);
    };
  }, [socket, queryClient, me.id]);

  // Events sent before this connection opened were missed (also on the first one, which may
  // open after the list was fetched): refetch counts, rooms joined elsewhere, unread.
  useEffect(() => {
    if (generation > 0) void queryClient.invalidateQueries({ queryKey: roomKeys.list });
  }, [generation, queryClient]);

  // Ask who of my DM partners is online whenever the list or the connection changes.
  const partnerIds = (rooms ?? [])
    .filter((r) => r.kind === 'dm')
    .map((r) => dmParticipants(r.id)?.find((id) => id !== me.id))
    .filter((id): id is string => Boolean(id))
    .sort()
    .join(',');
  useEffect(() => {
    if (generation === 0 || partnerIds === '') return;
    const userIds = partnerIds.split(',');
    request(socket, 'presence:get', { userIds })
      .then(({ online }) => {
        const map: PresenceMap = Object.fromEntries(userIds.map((id) => [id, online.includes(id)]));
        queryClient.setQueryData<PresenceMap>(roomKeys.presence, (prev) => ({ ...prev, ...map }));
      })
      .catch(() => undefined);
  }, [socket, queryClient, partnerIds, generation]);
}
