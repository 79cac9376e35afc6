import { useCallback, useEffect, type MouseEvent } from 'react';
import SettingsPage from '../features/account/components/settings-page';
import { Link, Route, Routes, useLocation, useMatch, useNavigate } from 'react-router';
import type { User } from '@parley/protocol';
import { useSignOut } from '../features/auth/api/auth.api';
import { useChatEvents } from '../features/chat/hooks/use-chat-events';
import { useOutbox } from '../features/chat/hooks/use-outbox';
import { usePersistentOutbox } from '../features/chat/hooks/use-persistent-outbox';
import { useChatStore } from '../features/chat/chat.store';
import { useAttachmentsStore } from '../features/chat/attachments.store';
import { useRoomEvents } from '../features/rooms/hooks/use-room-events';
import { useRoomChanges } from '../features/rooms/hooks/use-room-changes';
import { useAttention } from '../features/rooms/hooks/use-attention';
import { NotificationsSwitch } from '../features/rooms/components/notifications-switch';
import { roomPath } from '../features/rooms/components/room-list-item';
import { RoomList } from '../features/rooms/components/room-list';
import { MessageSearch } from '../features/search/components/message-search';
import type { SearchResult } from '../features/search/api/search.api';
import { GearIcon } from '../lib/icons';
import { shownName } from '../lib/person';
import { SocketContext } from '../lib/socket-context';
import { usePeopleEvents } from '../lib/use-people-events';
import { ConnectionBanner } from './connection-banner';
import { NotFound } from './not-found';
import { RoomRoute, type HomeState } from './room-route';
import { UpdateBanner } from './update-banner';
import { useSocketLifecycle } from './use-socket-lifecycle';
import './signed-in-app.css';

const MAIN_ID = 'main-content';

export function SignedInApp({ me }: { me: User }) {
  const socket = useSocketLifecycle();
  useEffect(
    () => () => {
      useChatStore.getState().reset();
      useAttachmentsStore.getState().reset(); // uploads not sent stop with the session
    },
    [],
  );
  usePersistentOutbox(me.id);
  return (
    <SocketContext.Provider value={socket}>
      <Layout me={me} />
    </SocketContext.Provider>
  );
}

function Layout({ me }: { me: User }) {
  useRoomEvents(me);
  useRoomChanges(me.id);
  useChatEvents(me);
  usePeopleEvents(me.id);
  useOutbox();
  const navigate = useNavigate();
  useAttention(
    me,
    useCallback((roomId: string) => void navigate(roomPath(roomId)), [navigate]),
  );
  const signOut = useSignOut();
  const inRoom = useMatch('/rooms/:roomId') !== null;
  const inSettings = useMatch('/settings') !== null;
  // A page of its own (the room list beside it on a wide screen, in its place on a narrow one).
  const onPage = inRoom || inSettings;

  return (
    <div className={`shell ${onPage ? 'shell--room' : 'shell--home'}`}>
      <SkipLink inRoom={inRoom} />
      <header className="topbar">
        <Link to="/" className="brand">
          Parley
        </Link>
        <MessageSearch resultHref={searchResultHref} />
        <NotificationsSwitch />
        <span className="muted small">
          Signed in as <strong>{shownName(me)}</strong>
        </span>
        <Link to="/settings" className="topbar__link">
          <GearIcon />
          <span className="topbar__link-label">Settings</span>
        </Link>
        <button type="button" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          Sign out
        </button>
      </header>
      <div className="banners">
        <ConnectionBanner />
        <UpdateBanner />
      </div>
      <aside className="sidebar">
        <RoomList me={me} />
      </aside>
      <main className="main" id={MAIN_ID} tabIndex={-1}>
        <Routes>
          <Route index element={<Home />} />
          <Route path="rooms/:roomId" element={<RoomRoute me={me} />} />
          <Route
            path="settings"
            element={
              <>
                <Link to="/" className="back-link">
                  ← Rooms
                </Link>
                <SettingsPage me={me} />
              </>
            }
          />
          <Route path="*" element={<NotFound what="Page" />} />
        </Routes>
      </main>
    </div>
  );
}

/** Where a search result leads: its room at it, or, for a thread reply, its thread. */
function searchResultHref({ message, room }: SearchResult): string {
  const path = `/rooms/${encodeURIComponent(room.id)}`;
  return message.threadRootId
    ? `${path}?thread=${encodeURIComponent(message.threadRootId)}&reply=${message.seq}`
    : `${path}?at=${message.seq}`;
}

/**
 * The first thing Tab reaches: past the top bar and the room list, to the messages of the open room
 * (the log, which scrolls with the keyboard), or to the page's content elsewhere.
 */
function SkipLink({ inRoom }: { inRoom: boolean }) {
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    const main = document.getElementById(MAIN_ID);
    const target = main?.querySelector<HTMLElement>('[role="log"]') ?? main;
    if (!target) return;
    // Focus it without touching the URL (a #hash would be a history entry of its own).
    event.preventDefault();
    if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
    target.focus();
  };
  return (
    <a href={`#${MAIN_ID}`} className="skip-link" onClick={skip}>
      {inRoom ? 'Skip to messages' : 'Skip to main content'}
    </a>
  );
}

/**
 * The home page: on a narrow screen a heading above the room list, on a wide one beside it; with
 * what it was sent here to say (the room I was reading is no longer mine).
 */
function Home() {
  const notice = (useLocation().state as HomeState | null)?.notice;
  return (
    <div className="empty home">
      <h1>Welcome to Parley</h1>
      {notice && (
        <p role="status" className="home__notice">
          {notice}
        </p>
      )}
      <p className="muted">Pick a room, create one, or start a direct message.</p>
    </div>
  );
}
