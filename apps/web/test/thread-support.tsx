import type { ReactNode } from 'react';
import { render, screen } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { VirtuosoMockContext } from 'react-virtuoso';
import type { Message, RoomSummary, User } from '@parley/protocol';
import { vi } from 'vitest';
import { sharedKeys } from '../src/lib/query-keys';
import { SocketContext } from '../src/lib/socket-context';
import { useChatEvents } from '../src/features/chat/hooks/use-chat-events';
import { useOutbox } from '../src/features/chat/hooks/use-outbox';
import type { FakeSocket } from './support/fake-socket';
import { setup } from './support/render';

export const ME: User = { id: 'u_me', username: 'me', displayName: '' };
export const BOB: User = { id: 'u_bob', username: 'bob', displayName: '' };

/** A v2 message of room r_1: a top-level one, or a reply when `threadRootId` is given. */
export function msg(seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `m_${seq}`,
    roomId: 'r_1',
    seq,
    author: BOB,
    text: `message ${seq}`,
    clientMsgId: `c_${seq}`,
    createdAt: new Date(Date.UTC(2026, 10, 23, 12, 0, seq)).toISOString(),
    rev: seq,
    editedAt: null,
    deleted: false,
    threadRootId: null,
    thread: null,
    reactions: [],
    mentions: [],
    files: [],
    ...overrides,
  };
}

export const reply = (seq: number, overrides: Partial<Message> = {}) =>
  msg(seq, { threadRootId: 'm_1', text: `reply ${seq}`, ...overrides });

export const general: RoomSummary = {
  id: 'r_1',
  kind: 'public',
  name: 'general',
  memberCount: 2,
  lastSeq: 1,
  lastRev: 1,
  topic: '',
  joined: true,
  unread: 0,
  lastMessage: null,
  invitedBy: null,
  mentions: 0,
  threadsUnread: 0,
  role: 'member',
};

/** GET /api/rooms/:id/messages over the room's top-level messages (the room's main view). */
export function stubRoomHistory(topLevel: Message[]) {
  vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://parley.test');
    if (url.pathname === '/api/rooms') return Response.json({ rooms: [general] });
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const before = url.searchParams.get('before');
    const after = url.searchParams.get('after');
    let page: Message[];
    if (after !== null) page = topLevel.filter((m) => m.seq > Number(after)).slice(0, limit);
    else if (before !== null) page = topLevel.filter((m) => m.seq < Number(before)).slice(-limit);
    else page = topLevel.slice(-limit);
    return Response.json({ messages: page });
  });
}

/** Shows where the router is, for tests to read the URL. */
function Location() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

/** What the signed-in layout runs beside the room: the chat's event hooks and the outbox. */
function ChatRuntime() {
  useChatEvents(ME);
  useOutbox();
  return null;
}

/** Renders `element` at `path` (route /rooms/:roomId) with the query client, the fake socket, a sized Virtuoso and the outbox. */
export function renderAt(element: ReactNode, path: string, history?: { replies: Message[]; topLevel: Message[] }) {
  const { queryClient, socket } = setup();
  if (history) serveHistory(socket, history);
  // The room's change stream: nothing missed unless a test says otherwise.
  socket.respond('message:changes', ({ afterRev }) => ({ ok: true, data: { messages: [], lastRev: afterRev, more: false } }));
  queryClient.setQueryData(sharedKeys.rooms, [general]);
  const view = render(
    <QueryClientProvider client={queryClient}>
      <SocketContext.Provider value={socket.asSocket()}>
        <VirtuosoMockContext.Provider value={{ viewportHeight: 600, itemHeight: 50 }}>
          <MemoryRouter initialEntries={[path]}>
            <Routes>
              <Route path="/rooms/:roomId" element={element} />
            </Routes>
            <Location />
            <ChatRuntime />
          </MemoryRouter>
        </VirtuosoMockContext.Provider>
      </SocketContext.Provider>
    </QueryClientProvider>,
  );
  return { queryClient, socket, ...view };
}

/**
 * Plays the server's `message:history` for one room: a thread's replies (keyset by seq) and the
 * room's top-level messages (for a root fetched at its seq).
 */
export function serveHistory(socket: FakeSocket, { replies, topLevel }: { replies: Message[]; topLevel: Message[] }) {
  socket.respond('message:history', (payload) => {
    const limit = payload.limit ?? 50;
    const pool = payload.threadRootId ? replies.filter((m) => m.threadRootId === payload.threadRootId) : topLevel;
    let page: Message[];
    if (payload.after !== undefined) page = pool.filter((m) => m.seq > payload.after!).slice(0, limit);
    else if (payload.before !== undefined) page = pool.filter((m) => m.seq < payload.before!).slice(-limit);
    else page = pool.slice(-limit);
    return { ok: true, data: { messages: page } };
  });
}

export const location = () => screen.getByTestId('location').textContent;
