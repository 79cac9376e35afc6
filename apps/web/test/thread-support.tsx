import type { ReactNode } from 'react';
import { render, screen } from '@testing-library/react';
import { Route, Routes, useLocation } from 'react-router';
import { VirtuosoMockContext } from 'react-virtuoso';
import type { Message } from '@parley/protocol';
import { vi } from 'vitest';
import { sharedKeys } from '../src/lib/query-keys';
import { useChatEvents } from '../src/features/chat/hooks/use-chat-events';
import { useOutbox } from '../src/features/chat/hooks/use-outbox';
import type { FakeSocket } from './support/fake-socket';
import { ME, roomSummary } from './support/fixtures';
import { historyServer, setup } from './support/render';

export const general = roomSummary({ lastSeq: 1, lastRev: 1 });

/** GET /api/rooms/:id/messages over the room's top-level messages (the room's main view). */
export function stubRoomHistory(topLevel: Message[]) {
  vi.stubGlobal('fetch', historyServer(topLevel, [general]).fetchImpl);
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
  const { queryClient, socket, wrapper } = setup({ path });
  if (history) serveHistory(socket, history);
  // The room's change stream: nothing missed unless a test says otherwise.
  socket.respond('message:changes', ({ afterRev }) => ({ ok: true, data: { messages: [], lastRev: afterRev, more: false } }));
  queryClient.setQueryData(sharedKeys.rooms, [general]);
  const view = render(
    <VirtuosoMockContext.Provider value={{ viewportHeight: 600, itemHeight: 50 }}>
      <Routes>
        <Route path="/rooms/:roomId" element={element} />
      </Routes>
      <Location />
      <ChatRuntime />
    </VirtuosoMockContext.Provider>,
    { wrapper },
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
