import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Message, RoomSummary, User } from '@parley/protocol';
import { useActiveRoomStore } from '../../../lib/active-room.store';
import { useConnectionStore } from '../../../lib/connection.store';
import { LockIcon } from '../../../lib/icons';
import { plural } from '../../../lib/plural';
import { QueryStatus } from '../../../lib/query-status';
import { updateRoom } from '../../../lib/rooms-cache';
import { request } from '../../../lib/socket';
import { useSocket } from '../../../lib/socket-context';
import { loadNewer, loadOlder, roomMessagesQueryOptions, showNewest } from '../api/messages.api';
import { useChatStore, type OutgoingMessage } from '../chat.store';
import { useSendMessage } from '../hooks/use-outbox';
import { Composer } from './composer';
import { MessageList } from './message-list';
import { TypingIndicator } from './typing-indicator';

const NO_PENDING: OutgoingMessage[] = [];

/** The clientMsgIds of my messages among those held. */
function storedSends(messages: readonly Message[] | undefined, meId: string): Set<string> {
  return new Set((messages ?? []).filter((m) => m.author.id === meId).map((m) => m.clientMsgId));
}

/**
 * One room: its header, messages, typing and composer. Marks the room read while it is being read.
 * `name` is the room's name as the rooms feature shows it (look-alike names tagged).
 */
export function ChatView({
  room,
  name,
  me,
  actions,
  joinAction,
}: {
  room: RoomSummary;
  name: ReactNode;
  me: User;
  actions: ReactNode;
  joinAction: ReactNode;
}) {
  const queryClient = useQueryClient();
  const socket = useSocket();
  const history = useQuery(roomMessagesQueryOptions(room.id));
  const outbox = useChatStore((s) => s.outbox);
  const settle = useChatStore((s) => s.settle);
  // A send stored before its ack could arrive (a reload, a cut connection) shows up in history
  // while still in the outbox: show it once, as stored, and settle it.
  const stored = useMemo(() => storedSends(history.data?.messages, me.id), [history.data, me.id]);
  const pending = outbox.filter((m) => m.roomId === room.id && !stored.has(m.clientMsgId));
  useEffect(() => {
    for (const message of outbox) if (stored.has(message.clientMsgId)) settle(message.clientMsgId);
  }, [outbox, stored, settle]);
  const send = useSendMessage(room.id);
  const retry = useChatStore((s) => s.retry);
  const connected = useConnectionStore((s) => s.status === 'connected');
  const [atBottom, setAtBottom] = useState(true);
  const visible = usePageVisible();
  const setActiveRoom = useActiveRoomStore((s) => s.setActiveRoom);
  const setReadingLive = useActiveRoomStore((s) => s.setReadingLive);

  useEffect(() => {
    setActiveRoom(room.id);
    return () => setActiveRoom(null);
  }, [room.id, setActiveRoom]);

  const readingLive = atBottom && visible && history.isSuccess;
  useEffect(() => setReadingLive(readingLive), [readingLive, setReadingLive]);

  // Mark read up to the newest message held, once it is on screen.
  const newestSeq = history.data?.messages.at(-1)?.seq ?? 0;
  const markedSeq = useRef(0);
  useEffect(() => {
    if (!readingLive || !room.joined || !connected || newestSeq <= markedSeq.current) return;
    markedSeq.current = newestSeq;
    updateRoom(queryClient, room.id, (r) => ({ ...r, unread: Math.max(0, r.lastSeq - newestSeq) }));
    request(socket, 'room:read', { roomId: room.id, seq: newestSeq }).catch(() => {
      markedSeq.current = 0;
    });
  }, [readingLive, room.joined, room.id, room.lastSeq, room.unread, connected, newestSeq, queryClient, socket]);

  const onLoadOlder = useCallback(() => loadOlder(queryClient, room.id), [queryClient, room.id]);
  const onLoadNewer = useCallback(() => loadNewer(queryClient, room.id), [queryClient, room.id]);
  const onShowNewest = useCallback(() => showNewest(queryClient, room.id), [queryClient, room.id]);

  return (
    <section className="chat" aria-labelledby="chat-title">
      <header className="chat__header">
        <h1 id="chat-title">
          {room.kind === 'dm' ? '@' : room.kind === 'private' ? <LockIcon label="Private room" /> : '#'}
          {name}
        </h1>
        <span className="muted small">{room.kind === 'dm' ? 'Direct message' : plural(room.memberCount, 'member')}</span>
        <div className="chat__actions">{actions}</div>
      </header>
      <QueryStatus query={history} loading="Loading messages…" failed="Could not load messages." className="center" />
      {history.isSuccess && (
        <MessageList
          messages={history.data.messages}
          pending={room.joined ? pending : NO_PENDING}
          meId={me.id}
          meUsername={me.username}
          hasOlder={history.data.hasOlder}
          hasNewer={history.data.hasNewer}
          skipped={history.data.skipped}
          onLoadOlder={onLoadOlder}
          onLoadNewer={onLoadNewer}
          onShowNewest={onShowNewest}
          onRetry={retry}
          onAtBottomChange={setAtBottom}
        />
      )}
      <TypingIndicator roomId={room.id} />
      {room.joined ? (
        <Composer roomId={room.id} onSend={send} />
      ) : (
        <div className="join-prompt">
          <span className="muted">You are reading {name}.</span> {joinAction}
        </div>
      )}
    </section>
  );
}

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const update = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}
