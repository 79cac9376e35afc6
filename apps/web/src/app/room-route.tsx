import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { RoomSummary, User } from '@parley/protocol';
import { messageAtQueryOptions } from '../features/chat/api/search-result.api';
import { ChatView, type OpenThread } from '../features/chat/components/chat-view';
import { roomsQueryOptions } from '../features/rooms/api/rooms.api';
import { Invitation } from '../features/rooms/components/invitation';
import { JoinRoomButton } from '../features/rooms/components/join-room-button';
import { MembersPanel } from '../features/rooms/components/members-panel';
import { RoomActions } from '../features/rooms/components/room-actions';
import { RoomName, useRoomNameTags } from '../features/rooms/components/room-name';
import { QueryStatus } from '../lib/query-status';
import { NotFound } from './not-found';

/** What the home page says when it was sent there (e.g. the room I was reading is no longer mine). */
export interface HomeState {
  notice?: string;
}

/**
 * /rooms/:roomId: the room when I can see it, otherwise "Room not found" (never the room).
 * `?at=<seq>` opens it at that message, highlighted (a search result), once the history around it is in.
 * The Members panel shows beside it (a thread opened closes it, and opening it closes the thread).
 */
export function RoomRoute({ me }: { me: User }) {
  const { roomId = '' } = useParams();
  const rooms = useQuery(roomsQueryOptions);
  const tags = useRoomNameTags(rooms.data);
  const [thread, changeThread] = useOpenThread();
  const at = useMessageAt();
  const queryClient = useQueryClient();
  const room = rooms.data?.find((r) => r.id === roomId);
  useHomeWhenNoLongerMember(roomId, room);
  // The room whose members are shown: another room opens without them.
  const [membersOf, setMembersOf] = useState<string | null>(null);
  const membersOpen = membersOf === roomId && !thread;
  const onThreadChange = useCallback(
    (next: OpenThread | null) => {
      if (next) setMembersOf(null);
      changeThread(next);
    },
    [changeThread],
  );
  const toggleMembers = () => {
    if (membersOpen) return setMembersOf(null);
    setMembersOf(roomId);
    if (thread) changeThread(null);
  };
  const closeMembers = useCallback(() => setMembersOf(null), []);
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
          actions={<RoomActions room={room} meId={me.id} membersOpen={membersOpen} onToggleMembers={toggleMembers} />}
          joinAction={<JoinRoomButton roomId={room.id} className="primary" />}
          thread={thread}
          onThreadChange={onThreadChange}
          at={at}
          aside={membersOpen && <MembersPanel room={room} meId={me.id} onClose={closeMembers} />}
        />
      )}
    </>
  );
}

/**
 * When I stop being a member of the room on screen (removed, banned, or I left it on another
 * device: `room:left`, or the list fetched again), the room goes: home, saying why. A public room
 * stays in the list to browse; a private one is gone from it.
 */
function useHomeWhenNoLongerMember(roomId: string, room: RoomSummary | undefined) {
  const navigate = useNavigate();
  const joined = room?.joined ?? false;
  const seen = useRef<{ roomId: string; joined: boolean; name: string }>({ roomId, joined, name: room?.name ?? '' });
  useEffect(() => {
    const before = seen.current;
    seen.current = { roomId, joined, name: room?.name ?? before.name };
    if (before.roomId !== roomId || !before.joined || joined) return;
    const state: HomeState = { notice: `You are no longer a member of ${before.name}.` };
    void navigate('/', { state });
  }, [roomId, joined, room?.name, navigate]);
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
