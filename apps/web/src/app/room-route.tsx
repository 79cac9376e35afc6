import { useCallback, useMemo } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import type { User } from '@parley/protocol';
import { messageAtQueryOptions } from '../features/chat/api/search-result.api';
import { ChatView, type OpenThread } from '../features/chat/components/chat-view';
import { roomsQueryOptions } from '../features/rooms/api/rooms.api';
import { Invitation } from '../features/rooms/components/invitation';
import { JoinRoomButton } from '../features/rooms/components/join-room-button';
import { RoomActions } from '../features/rooms/components/room-actions';
import { RoomName, useRoomNameTags } from '../features/rooms/components/room-name';
import { QueryStatus } from '../lib/query-status';
import { NotFound } from './not-found';

/**
 * /rooms/:roomId: the room when I can see it, otherwise "Room not found" (never the room).
 * `?at=<seq>` opens it at that message, highlighted (a search result), once the history around it is in.
 */
export function RoomRoute({ me }: { me: User }) {
  const { roomId = '' } = useParams();
  const rooms = useQuery(roomsQueryOptions);
  const tags = useRoomNameTags(rooms.data);
  const [thread, onThreadChange] = useOpenThread();
  const at = useMessageAt();
  const queryClient = useQueryClient();
  const room = rooms.data?.find((r) => r.id === roomId);
  const invited = room !== undefined && !room.joined && room.kind !== 'public';
  const openingAt = at !== undefined && room !== undefined && !invited;
  const opening = useQuery({ ...messageAtQueryOptions(queryClient, roomId, at ?? 0), enabled: openingAt });
  if (rooms.isPending) return <p className="muted center">Loading…</p>;
  if (!room) return <NotFound what="Room" />;
  if (openingAt && !opening.isSuccess) {
    return <QueryStatus query={opening} loading="Loading messages…" failed="Could not load that message." className="center" />;
  }
  const name = <RoomName name={room.name} tag={tags.get(room.id)} />;
  return (
    <>
      <Link to="/" className="back-link">
        ← Rooms
      </Link>
      {invited ? (
        <Invitation room={room} name={name} />
      ) : (
        <ChatView
          // A new message to open at is a new view: the list opens at it once.
          key={`${room.id}:${at ?? ''}`}
          room={room}
          name={name}
          me={me}
          actions={<RoomActions room={room} meId={me.id} />}
          joinAction={<JoinRoomButton roomId={room.id} className="primary" />}
          thread={thread}
          onThreadChange={onThreadChange}
          at={at}
        />
      )}
    </>
  );
}

/**
 * The thread open in the room, kept in the URL (`?thread=<rootId>&rootSeq=<seq>`, and `&reply=<seq>`
 * for a reply a search result opened) so a reload or
 * a shared link opens it again; opening and closing are history entries, so Back closes it.
 */
export function useOpenThread(): [OpenThread | null, (thread: OpenThread | null) => void] {
  const [params, setParams] = useSearchParams();
  const rootId = params.get('thread');
  const seq = Number(params.get('rootSeq'));
  const rootSeq = Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
  const reply = Number(params.get('reply'));
  const replySeq = Number.isSafeInteger(reply) && reply > 0 ? reply : undefined;
  const thread = useMemo(() => (rootId ? { rootId, rootSeq, replySeq } : null), [rootId, rootSeq, replySeq]);
  const change = useCallback(
    (next: OpenThread | null) => {
      setParams((current) => {
        const search: Record<string, string> = {};
        // The message the room was opened at stays: opening a thread keeps the room where it is.
        const at = current.get('at');
        if (at !== null) search.at = at;
        if (next) search.thread = next.rootId;
        if (next?.rootSeq !== undefined) search.rootSeq = String(next.rootSeq);
        if (next?.replySeq !== undefined) search.reply = String(next.replySeq);
        return search;
      });
    },
    [setParams],
  );
  return [thread, change];
}

/** The seq of `?at=`, when it is one. */
function useMessageAt(): number | undefined {
  const [params] = useSearchParams();
  const seq = Number(params.get('at') ?? NaN);
  return Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
}
