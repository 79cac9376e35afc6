import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { VirtuosoMockContext } from 'react-virtuoso';
import type { RoomSummary } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RoomRoute } from '../src/app/room-route';
import { messageKeys } from '../src/features/chat/api/messages.api';
import type { RoomMessages } from '../src/features/chat/api/message-window';
import { useChatStore } from '../src/features/chat/chat.store';
import { useConnectionStore } from '../src/lib/connection.store';
import { sharedKeys } from '../src/lib/query-keys';
import { ME, message, roomSummary } from './support/fixtures';
import { historyServer, setup } from './support/render';

const stored = Array.from({ length: 300 }, (_, i) => message(i + 1));
const NEWEST_PAGE = '/api/rooms/r_1/messages?limit=50&topLevel=true';

function renderRoom(room: RoomSummary, held?: RoomMessages) {
  const server = historyServer(stored, [room]);
  vi.stubGlobal('fetch', server.fetchImpl);
  const { queryClient, wrapper } = setup({ path: '/rooms/r_1' });
  queryClient.setQueryData(sharedKeys.rooms, [room]);
  if (held) queryClient.setQueryData(messageKeys.room('r_1'), held);
  render(
    <VirtuosoMockContext.Provider value={{ viewportHeight: 600, itemHeight: 50 }}>
      <Routes>
        <Route path="/rooms/:roomId" element={<RoomRoute me={ME} />} />
      </Routes>
    </VirtuosoMockContext.Provider>,
    { wrapper },
  );
  return { calls: server.calls, queryClient };
}

const log = () => screen.findByRole('log', { name: 'Messages' });
/** The message right under the `New messages` separator. */
async function firstUnread(): Promise<string | null> {
  const separator = await within(await log()).findByRole('separator', { name: 'New messages' });
  return separator.parentElement!.querySelector('article')!.getAttribute('data-seq');
}

beforeEach(() => {
  useChatStore.getState().reset();
  useConnectionStore.setState({ status: 'connected', generation: 1, recovered: false });
});
afterEach(() => vi.unstubAllGlobals());

describe('opening a room with unread messages', () => {
  it('opens at the first unread under `New messages`, loaded around the read marker, not at the newest', async () => {
    const { calls } = renderRoom(roomSummary({ lastSeq: 300, lastRev: 300, unread: 30 }));
    expect(await firstUnread()).toBe('271');
    expect(calls.slice(0, 2).sort()).toEqual([
      '/api/rooms/r_1/messages?limit=50&topLevel=true&after=270',
      '/api/rooms/r_1/messages?limit=50&topLevel=true&before=271',
    ]);
    expect(calls).not.toContain(NEWEST_PAGE);
    // Opened away from the newest message: the reader is offered the way down, and the unread one is in view.
    expect(screen.getByRole('button', { name: 'Jump to newest' })).toBeInTheDocument();
    const shown = within(await log())
      .getAllByRole('article')
      .map((a) => Number(a.getAttribute('data-seq')));
    expect(shown).toContain(271);
    expect(shown).not.toContain(300);
    expect(screen.queryByRole('button', { name: 'Jump to first unread' })).toBeNull();
  }, 15_000);

  it('offers `Jump to first unread` once the window no longer holds it, and loads around the marker again', async () => {
    const user = userEvent.setup();
    const { calls, queryClient } = renderRoom(roomSummary({ lastSeq: 300, lastRev: 300, unread: 30 }));
    expect(await firstUnread()).toBe('271');
    expect(screen.queryByRole('button', { name: 'Jump to first unread' })).toBeNull();
    // The window trimmed down to the newest (as paging far below does): the first unread is gone from it.
    queryClient.setQueryData<RoomMessages>(messageKeys.room('r_1'), {
      messages: stored.slice(280),
      hasOlder: true,
      hasNewer: false,
      skipped: [],
    });
    const jump = await screen.findByRole('button', { name: 'Jump to first unread' });
    expect(within(await log()).queryByRole('separator', { name: 'New messages' })).toBeNull();
    const before = calls.length;
    expect(calls.slice(0, before)).not.toContain(NEWEST_PAGE);
    await user.click(jump);
    await waitFor(() => expect(calls.length).toBe(before + 2));
    // The window holds it again, under the separator (happy-dom does not scroll: the e2e checks it comes into view).
    await waitFor(() => expect(queryClient.getQueryData<RoomMessages>(messageKeys.room('r_1'))?.messages.map((m) => m.seq)).toContain(271));
    expect(calls.slice(before, before + 2).sort()).toEqual([
      '/api/rooms/r_1/messages?limit=50&topLevel=true&after=270',
      '/api/rooms/r_1/messages?limit=50&topLevel=true&before=271',
    ]);
  }, 15_000);

  it('keeps the separator while the room is open, after the room is marked read', async () => {
    const { queryClient } = renderRoom(roomSummary({ lastSeq: 300, lastRev: 300, unread: 30 }));
    expect(await firstUnread()).toBe('271');
    queryClient.setQueryData(sharedKeys.rooms, [roomSummary({ lastSeq: 301, lastRev: 301, unread: 0, memberCount: 3 })]);
    queryClient.setQueryData<RoomMessages>(
      messageKeys.room('r_1'),
      (data) => data && { ...data, messages: [...data.messages, message(301)] },
    );
    await screen.findByText('3 members');
    expect(await firstUnread()).toBe('271');
  }, 15_000);

  it('uses the window held when it already shows where reading stopped', async () => {
    const held: RoomMessages = { messages: stored.slice(200), hasOlder: true, hasNewer: false, skipped: [] };
    const { calls } = renderRoom(roomSummary({ lastSeq: 300, lastRev: 300, unread: 10 }), held);
    expect(await firstUnread()).toBe('291');
    expect(calls.filter((call) => call.includes('after=') || call === NEWEST_PAGE)).toEqual([]);
  }, 15_000);

  it('opens a room with nothing unread at the newest, without the separator', async () => {
    const { calls } = renderRoom(roomSummary({ lastSeq: 300, lastRev: 300, unread: 0 }));
    const newest = await within(await log()).findByText('message 300');
    expect(newest).toBeInTheDocument();
    expect(calls[0]).toBe(NEWEST_PAGE);
    expect(within(await log()).queryByRole('separator', { name: 'New messages' })).toBeNull();
  }, 15_000);
});
