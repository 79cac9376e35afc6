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
import type { RoomMessages } from '../api/message-window';
import { loadNewer, loadOlder, messageKeys, openAt, openAtReadMarker, roomMessagesQueryOptions, showNewest } from '../api/messages.api';
import { pendingSends, useChatStore, type OutgoingMessage } from '../chat.store';
import { attachFiles } from '../attachments.store';
import { useFileDrop } from '../hooks/use-file-drop';
import { useSendMessage } from '../hooks/use-outbox';
import { useNarrowScreen, usePageVisible } from '../hooks/use-thread-layout';
import { ThreadOpenerContext, type ThreadOpener } from '../thread-context';
import { Composer } from './composer';
import { MessageList } from './message-list';
import { ThreadPanel } from './thread-panel';
import { TypingIndicator } from './typing-indicator';

const NO_PENDING: OutgoingMessage[] = [];

/** The clientMsgIds of my messages among those held. */
function storedSends(messages: readonly Message[] | undefined, meId: string): Set<string> {
  return new Set((messages ?? []).filter((m) => m.author.id === meId).map((m) => m.clientMsgId));
}

/**
 * The thread open beside the room: its root's id, and the root's seq when known (so the root can be
 * fetched when the room's window does not hold it, e.g. after a reload).
 */
export interface OpenThread {
  rootId: string;
  rootSeq?: number | undefined;
  /** A reply to show and mark (a search result opened): older replies load until it is held. */
  replySeq?: number | undefined;
}

/**
 * One room: its header, messages, typing and composer, and the thread open in it (`thread`, kept
 * by the caller, e.g. in the URL): beside the room, or in its place on a narrow screen. Marks the
 * room read while it is being read. `name` is the room's name as the rooms feature shows it
 * (look-alike names tagged). `at`: the seq of a top-level message to open at and highlight (a search
 * result), already held in the window (`showMessageAt`). `aside`: a panel to show beside the room
 * while no thread is open (the members), in the room's place on a narrow screen, as a thread is.
 */
export function ChatView({
  room,
  name,
  me,
  actions,
  joinAction,
  thread = null,
  onThreadChange = () => undefined,
  at,
  aside,
}: {
  room: RoomSummary;
  name: ReactNode;
  me: User;
  actions: ReactNode;
  joinAction: ReactNode;
  thread?: OpenThread | null;
  onThreadChange?: (thread: OpenThread | null) => void;
  at?: number | undefined;
  aside?: ReactNode;
}) {
  const queryClient = useQueryClient();
  const socket = useSocket();
  // Where reading stopped when the room was opened (the newest seq read), while something was
  // unread: the room opens there, under `New messages`, which stays while it is open.
  const [readMarker] = useState(() =>
    room.joined && room.unread > 0 && at === undefined ? Math.max(0, room.lastSeq - room.unread) : undefined,
  );
  const [openedAtMarker, setOpenedAtMarker] = useState(readMarker === undefined);
  useEffect(() => {
    if (readMarker === undefined) return;
    let current = true;
    openAtReadMarker(queryClient, room.id, readMarker)
      .catch(() => undefined)
      .finally(() => {
        if (current) setOpenedAtMarker(true);
      });
    return () => {
      current = false;
    };
  }, [queryClient, room.id, readMarker]);
  // Until the window around the marker is in, the newest page is not fetched (it would open at the bottom).
  const history = useQuery({ ...roomMessagesQueryOptions(room.id), enabled: openedAtMarker });
  const outbox = useChatStore((s) => s.outbox);
  const settle = useChatStore((s) => s.settle);
  // A send stored before its ack could arrive (a reload, a cut connection) shows up in history
  // while still in the outbox: show it once, as stored, and settle it.
  const stored = useMemo(() => storedSends(history.data?.messages, me.id), [history.data, me.id]);
  // Replies pending in a thread show in that thread, not in the room.
  const pending = pendingSends(outbox, room.id).filter((m) => !stored.has(m.clientMsgId));
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

  const narrow = useNarrowScreen();
  // On a narrow screen an open thread (or panel) takes the room's place.
  const panel = thread ? null : aside;
  const roomShown = !(narrow && (thread || panel));
  const readingLive = atBottom && visible && history.isSuccess && openedAtMarker && roomShown;
  useEffect(() => setReadingLive(readingLive), [readingLive, setReadingLive]);

  // Mark read up to the newest message held, once it is on screen. Thread replies take seqs too
  // (and count as unread, CONTRACT.md): with the newest end of the room on screen, they are read up
  // to the room's last seq, as their roots' reply counts show.
  const newestHeld = history.data?.messages.at(-1)?.seq ?? 0;
  const newestSeq = history.data && !history.data.hasNewer ? Math.max(newestHeld, room.lastSeq) : newestHeld;
  const markedSeq = useRef(0);
  useEffect(() => {
    if (!readingLive || !room.joined || !connected || newestSeq <= markedSeq.current) return;
    markedSeq.current = newestSeq;
    // Mentions are among the unread: none are left once nothing is (a partial read keeps at most as many).
    updateRoom(queryClient, room.id, (r) => {
      const unread = Math.max(0, r.lastSeq - newestSeq);
      return { ...r, unread, mentions: Math.min(r.mentions, unread) };
    });
    request(socket, 'room:read', { roomId: room.id, seq: newestSeq }).catch(() => {
      markedSeq.current = 0;
    });
  }, [readingLive, room.joined, room.id, room.lastSeq, room.unread, connected, newestSeq, queryClient, socket]);

  const onLoadOlder = useCallback(() => loadOlder(queryClient, room.id), [queryClient, room.id]);
  const onLoadNewer = useCallback(() => loadNewer(queryClient, room.id), [queryClient, room.id]);
  const onShowNewest = useCallback(() => showNewest(queryClient, room.id), [queryClient, room.id]);
  const onShowFirstUnread = useCallback(() => openAt(queryClient, room.id, readMarker ?? 0), [queryClient, room.id, readMarker]);

  // Files dropped anywhere on the room go under its composer.
  const drop = useFileDrop((files) => attachFiles(room.id, room.id, files), room.joined);

  const opener = useThreadOpenerValue(queryClient, room.id, thread, onThreadChange);
  const closeThread = useCallback(() => onThreadChange(null), [onThreadChange]);

  const roomView = (
    <section className="chat" aria-labelledby="chat-title" {...drop.dropProps}>
      {drop.dragging && (
        <div className="drop-zone" aria-hidden="true">
          Drop files to attach them
        </div>
      )}
      <header className="chat__header">
        <div className="chat__title">
          <h1 id="chat-title">
            {room.kind === 'dm' ? '@' : room.kind === 'private' ? <LockIcon label="Private room" /> : '#'}
            {name}
          </h1>
          {room.topic && (
            <p className="chat__topic muted small" title={room.topic}>
              {room.topic}
            </p>
          )}
        </div>
        <span className="muted small">{room.kind === 'dm' ? 'Direct message' : plural(room.memberCount, 'member')}</span>
        <div className="chat__actions">{actions}</div>
      </header>
      <QueryStatus query={history} loading="Loading messages…" failed="Could not load messages." className="center" />
      {history.isSuccess && openedAtMarker && (
        <MessageList
          messages={history.data.messages}
          pending={room.joined ? pending : NO_PENDING}
          meId={me.id}
          me={me}
          hasOlder={history.data.hasOlder}
          hasNewer={history.data.hasNewer}
          skipped={history.data.skipped}
          onLoadOlder={onLoadOlder}
          onLoadNewer={onLoadNewer}
          onShowNewest={onShowNewest}
          readMarker={readMarker}
          onShowFirstUnread={onShowFirstUnread}
          onRetry={retry}
          onAtBottomChange={setAtBottom}
          initialSeq={at}
          highlightSeq={at}
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

  return (
    <ThreadOpenerContext.Provider value={opener}>
      <div className={`chat-layout ${thread ? 'chat-layout--thread' : ''}`}>
        {roomShown ? (
          roomView
        ) : (
          // The page keeps its heading (the room's name) while a panel takes the room's place.
          <h1 className="visually-hidden">{name}</h1>
        )}
        {panel}
        {thread && (
          <ThreadPanel
            key={thread.rootId}
            roomId={room.id}
            rootId={thread.rootId}
            rootSeq={thread.rootSeq}
            replySeq={thread.replySeq}
            roomName={name}
            joined={room.joined}
            visible={visible}
            me={me}
            onClose={closeThread}
          />
        )}
      </div>
    </ThreadOpenerContext.Provider>
  );
}

/**
 * What `Reply in thread` and `N replies` call: opens the thread with its root's seq from the room's
 * window. Closing it puts the focus back where it was when it opened (when that is still there).
 */
function useThreadOpenerValue(
  queryClient: ReturnType<typeof useQueryClient>,
  roomId: string,
  thread: OpenThread | null,
  onThreadChange: (thread: OpenThread | null) => void,
): ThreadOpener {
  const returnFocus = useRef<HTMLElement | null>(null);
  const openRootId = thread?.rootId ?? null;
  useEffect(() => {
    if (openRootId !== null || !returnFocus.current) return;
    if (returnFocus.current.isConnected) returnFocus.current.focus();
    returnFocus.current = null;
  }, [openRootId]);
  return useMemo(
    () => ({
      openRootId,
      openThread: (rootId: string) => {
        if (rootId === openRootId) return;
        if (document.activeElement instanceof HTMLElement) returnFocus.current = document.activeElement;
        const root = queryClient.getQueryData<RoomMessages>(messageKeys.room(roomId))?.messages.find((m) => m.id === rootId);
        onThreadChange({ rootId, rootSeq: root?.seq });
      },
    }),
    [openRootId, queryClient, roomId, onThreadChange],
  );
}
