import 'fake-indexeddb/auto';
import { render, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { VirtuosoMockContext } from 'react-virtuoso';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import userEvent from '@testing-library/user-event';
import { RoomRoute, useOpenThread } from '../src/app/room-route';
import { useChatStore } from '../src/features/chat/chat.store';
import { messageKeys } from '../src/features/chat/api/messages.api';
import type { RoomMessages } from '../src/features/chat/api/message-window';
import { useConnectionStore } from '../src/lib/connection.store';
import { sharedKeys } from '../src/lib/query-keys';
import { ME, message } from './support/fixtures';
import { historyServer, setup } from './support/render';
import { general, location, renderAt } from './thread-support';

const stored = Array.from({ length: 300 }, (_, i) => message(i + 1));

function serve() {
  const server = historyServer(stored, [general]);
  vi.stubGlobal('fetch', server.fetchImpl);
  return server.calls;
}

const log = () => screen.findByRole('log', { name: 'Messages' });
const highlighted = async () => within(await log()).findByRole('article', { current: true });

beforeEach(() => {
  useChatStore.getState().reset();
  useConnectionStore.setState({ status: 'connected', generation: 1, recovered: false });
});
afterEach(() => vi.unstubAllGlobals());

describe('opening a room at a message (?at=<seq>)', () => {
  it('loads the history around a message far back and opens there, the message highlighted', async () => {
    const calls = serve();
    const { queryClient } = renderAt(<RoomRoute me={ME} />, '/rooms/r_1?at=40');
    const target = await highlighted();
    expect(target).toHaveAttribute('data-seq', '40');
    expect(target).toHaveClass('message--highlighted');
    expect(within(await log()).getAllByRole('article', { current: true })).toHaveLength(1);
    // A page up to it and a page after it first; never the newest page, which would replace them.
    expect(calls.slice(0, 2).sort()).toEqual([
      '/api/rooms/r_1/messages?limit=50&topLevel=true&after=40',
      '/api/rooms/r_1/messages?limit=50&topLevel=true&before=41',
    ]);
    expect(calls.every((call) => /[?&](before|after)=/.test(call))).toBe(true);
    expect(queryClient.getQueryData<RoomMessages>(messageKeys.room('r_1'))?.messages[0]?.seq).toBe(1);
  });

  it('asks nothing when the window already holds the message', async () => {
    const calls = serve();
    const { queryClient, wrapper } = setup({ path: '/rooms/r_1?at=260' });
    queryClient.setQueryData(sharedKeys.rooms, [general]);
    const held: RoomMessages = { messages: stored.slice(250), hasOlder: true, hasNewer: false, skipped: [] };
    queryClient.setQueryData(messageKeys.room('r_1'), held);
    render(
      <VirtuosoMockContext.Provider value={{ viewportHeight: 600, itemHeight: 50 }}>
        <Routes>
          <Route path="/rooms/:roomId" element={<RoomRoute me={ME} />} />
        </Routes>
      </VirtuosoMockContext.Provider>,
      { wrapper },
    );
    expect((await highlighted()).getAttribute('data-seq')).toBe('260');
    expect(calls.filter((call) => call.includes('=260'))).toEqual([]);
  });

  it('says so when the history around the message cannot be loaded', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { code: 'INTERNAL', message: 'down' } }), { status: 500 }));
    renderAt(<RoomRoute me={ME} />, '/rooms/r_1?at=40');
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load that message.');
    await waitFor(() => expect(location()).toBe('/rooms/r_1?at=40'));
  });

  it('keeps the message opened at when a thread opens and closes', async () => {
    serve();
    function ThreadButtons() {
      const [, change] = useOpenThread();
      return (
        <>
          <button type="button" onClick={() => change({ rootId: 'm_7', rootSeq: 7 })}>
            Open
          </button>
          <button type="button" onClick={() => change(null)}>
            Close
          </button>
        </>
      );
    }
    renderAt(<ThreadButtons />, '/rooms/r_1?at=40');
    await userEvent.click(screen.getByRole('button', { name: 'Open' }));
    expect(location()).toBe('/rooms/r_1?at=40&thread=m_7&rootSeq=7');
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(location()).toBe('/rooms/r_1?at=40');
  });
});
