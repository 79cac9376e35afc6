import { useCallback, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import type { User } from '@parley/protocol';
import { ChatView, type OpenThread } from '../features/chat/components/chat-view';
import { roomsQueryOptions } from '../features/rooms/api/rooms.api';
import { Invitation } from '../features/rooms/components/invitation';
import { JoinRoomButton } from '../features/rooms/components/join-room-button';
import { RoomActions } from '../features/rooms/components/room-actions';
import { RoomName, useRoomNameTags } from '../features/rooms/components/room-name';
import { NotFound } from './not-found';

/** /rooms/:roomId: the room when I can see it, otherwise "Room not found" (never the room). */
export function RoomRoute({ me }: { me: User }) {
  const { roomId = '' } = useParams();
  const rooms = useQuery(roomsQueryOptions);
  const tags = useRoomNameTags(rooms.data);
  const [thread, onThreadChange] = useOpenThread();
  if (rooms.isPending) return <p className="muted center">Loading…</p>;
  const room = rooms.data?.find((r) => r.id === roomId);
  if (!room) return <NotFound what="Room" />;
  const name = <RoomName name={room.name} tag={tags.get(room.id)} />;
  const invited = !room.joined && room.kind !== 'public';
  return (
    <>
      <Link to="/" className="back-link">
        ← Rooms
      </Link>
      {invited ? (
        <Invitation room={room} name={name} />
      ) : (
        <ChatView
          key={room.id}
          room={room}
          name={name}
          me={me}
          actions={<RoomActions room={room} meId={me.id} />}
          joinAction={<JoinRoomButton roomId={room.id} className="primary" />}
          thread={thread}
          onThreadChange={onThreadChange}
        />
      )}
    </>
  );
}

/**
 * The thread open in the room, kept in the URL (`?thread=<rootId>&rootSeq=<seq>`) so a reload or
 * a shared link opens it again; opening and closing are history entries, so Back closes it.
 */
export function useOpenThread(): [OpenThread | null, (thread: OpenThread | null) => void] {
  const [params, setParams] = useSearchParams();
  const rootId = params.get('thread');
  const seq = Number(params.get('rootSeq'));
  const rootSeq = Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
  const thread = useMemo(() => (rootId ? { rootId, rootSeq } : null), [rootId, rootSeq]);
  const change = useCallback(
    (next: OpenThread | null) => {
      const search: Record<string, string> = {};
      if (next) search.thread = next.rootId;
      if (next?.rootSeq !== undefined) search.rootSeq = String(next.rootSeq);
      setParams(search);
    },
    [setParams],
  );
  return [thread, change];
}
