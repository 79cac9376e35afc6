import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_HELD, mergeIntoWindow, type RoomMessages } from '../src/features/chat/api/message-window';
import { applyMessage } from '../src/features/chat/api/message-changes.api';
import {
  loadNewer,
  loadOlder,
  messageKeys,
  openAt,
  PAGE_SIZE,
  roomMessagesQueryOptions,
  showNewest,
} from '../src/features/chat/api/messages.api';
import { useChatEvents } from '../src/features/chat/hooks/use-chat-events';
import { useActiveRoomStore } from '../src/lib/active-room.store';
import { BOB, ME, message } from './support/fixtures';
import { historyServer, setup } from './support/render';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => message(from + i));
const seqs = (data: RoomMessages) => data.messages.map((m) => m.seq);
/** The window holds one run of seqs with nothing missing and nothing twice. */
function expectContiguous(data: RoomMessages) {
  const held = seqs(data);
  expect(held).toEqual(held.length ? Array.from({ length: held.length }, (_, i) => held[0]! + i) : []);
}

beforeEach(() => useActiveRoomStore.setState({ roomId: null, readingLive: false }));
afterEach(() => vi.unstubAllGlobals());

describe('mergeIntoWindow', () => {
  it('appends while the newest end is held, dropping the oldest end past MAX_HELD', () => {
    const full = { messages: range(1, MAX_HELD), hasOlder: false };
    const next = mergeIntoWindow(full, [message(MAX_HELD + 1), message(MAX_HELD + 2)], { live: true });
    expect(next.messages).toHaveLength(MAX_HELD);
    expect(seqs(next).at(0)).toBe(3);
    expect(seqs(next).at(-1)).toBe(MAX_HELD + 2);
    expect(next.hasOlder).toBe(true);
    expect(next.hasNewer).toBeFalsy();
  });

  it('never appends across a trimmed newest end: live messages beyond it are only remembered', () => {
    const window = { messages: [...range(10, 12), ...range(14, 20)], hasOlder: true, hasNewer: true, skipped: [] };
    const next = mergeIntoWindow(window, [message(13), message(31), message(30, { author: ME })], { live: true });
    expect(seqs(next)).toEqual(range(10, 20).map((m) => m.seq));
    expect(next.skipped).toEqual([
      { seq: 30, authorId: ME.id },
      { seq: 31, authorId: BOB.id },
    ]);
    // What a fetch brings beyond the end (not live) is not remembered either.
    expect(mergeIntoWindow(next, [message(40)]).skipped).toHaveLength(2);
  });

  it('keeps the oldest end for a reader up there: the newest end is cut and remembered instead', () => {
    const full = { messages: range(1, MAX_HELD), hasOlder: false };
    const next = mergeIntoWindow(full, [message(MAX_HELD + 1)], { live: true, keepOldest: true });
    expect(seqs(next).at(0)).toBe(1);
    expect(next.messages).toHaveLength(MAX_HELD);
    expect(next.hasNewer).toBe(true);
    expect(next.skipped).toEqual([{ seq: MAX_HELD + 1, authorId: BOB.id }]);
  });

  it('returns the same window when nothing is new, so React does not re-render', () => {
    const window = { messages: range(1, 3), hasOlder: false, hasNewer: false, skipped: [] };
    expect(mergeIntoWindow(window, [message(2)], { live: true })).toBe(window);
  });
});

describe('a bounded window paging through a long room', () => {
  const stored = range(1, 2_000);

  it('pages up to the beginning and back down to the newest, never holding more than MAX_HELD', async () => {
    const server = historyServer(stored);
    vi.stubGlobal('fetch', server.fetchImpl);
    const { queryClient } = setup();
    await queryClient.fetchQuery(roomMessagesQueryOptions('r_1'));
    const held = () => queryClient.getQueryData<RoomMessages>(messageKeys.room('r_1'))!;
    const seen = new Set<number>(seqs(held()));

    while (held().hasOlder) {
      await loadOlder(queryClient, 'r_1');
      expect(held().messages.length).toBeLessThanOrEqual(MAX_HELD);
      expectContiguous(held());
      for (const seq of seqs(held())) seen.add(seq);
    }
    expect(seqs(held())[0]).toBe(1);
    expect(held().hasNewer).toBe(true);
    expect(seen.size).toBe(2_000);

    while (held().hasNewer) {
      await loadNewer(queryClient, 'r_1');
      expect(held().messages.length).toBeLessThanOrEqual(MAX_HELD);
      expectContiguous(held());
    }
    expect(seqs(held()).at(-1)).toBe(2_000);
    expect(held().hasOlder).toBe(true);
    expect(server.calls.filter((c) => c.includes('after=')).at(-1)).toBe(
      `/api/rooms/r_1/messages?limit=${PAGE_SIZE}&topLevel=true&after=2000`,
    );
  });

  it('asks for one older page at a time however often it is called', async () => {
    const server = historyServer(stored);
    vi.stubGlobal('fetch', server.fetchImpl);
    const { queryClient } = setup();
    await queryClient.fetchQuery(roomMessagesQueryOptions('r_1'));
    await Promise.all([loadOlder(queryClient, 'r_1'), loadOlder(queryClient, 'r_1'), loadOlder(queryClient, 'r_1')]);
    expect(server.calls).toEqual([
      '/api/rooms/r_1/messages?limit=50&topLevel=true',
      '/api/rooms/r_1/messages?limit=50&topLevel=true&before=1951',
    ]);
  });

  it('opens at an old message with a page on each side', async () => {
    vi.stubGlobal('fetch', historyServer(stored).fetchImpl);
    const { queryClient } = setup();
    await openAt(queryClient, 'r_1', 700);
    const held = queryClient.getQueryData<RoomMessages>(messageKeys.room('r_1'))!;
    expect(seqs(held)).toEqual(range(651, 750).map((m) => m.seq));
    expect(held).toMatchObject({ hasOlder: true, hasNewer: true });
  });

  it('jumps to the newest page, keeping what arrived live while it was fetched', async () => {
    const server = historyServer(stored);
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
      await gate;
      return server.fetchImpl(input);
    });
    const { queryClient } = setup();
    queryClient.setQueryData<RoomMessages>(messageKeys.room('r_1'), {
      messages: range(101, 700),
      hasOlder: true,
      hasNewer: true,
      skipped: [],
    });
    const jumping = showNewest(queryClient, 'r_1');
    // Arrives live while the page is on its way, and is not in it (stored after the page was read).
    applyMessage(queryClient, message(2_001));
    release();
    await jumping;
    const held = queryClient.getQueryData<RoomMessages>(messageKeys.room('r_1'))!;
    expect(seqs(held)).toEqual(range(1_951, 2_001).map((m) => m.seq));
    expect(held.hasNewer).toBe(false);
  });
});

describe('live messages with a trimmed newest end', () => {
  const stored = range(1, 900);

  it('a live message beyond the window is not appended and triggers no fetch; the reader pages down to it', async () => {
    const server = historyServer(stored);
    vi.stubGlobal('fetch', server.fetchImpl);
    const { queryClient, socket, wrapper } = setup();
    renderHook(() => useChatEvents(ME), { wrapper });
    queryClient.setQueryData<RoomMessages>(messageKeys.room('r_1'), {
      messages: range(101, 700),
      hasOlder: true,
      hasNewer: true,
      skipped: [],
    });
    const held = () => queryClient.getQueryData<RoomMessages>(messageKeys.room('r_1'))!;

    act(() => socket.serverEmit('message:created', message(901)));
    expect(seqs(held()).at(-1)).toBe(700);
    expect(held().skipped).toEqual([{ seq: 901, authorId: BOB.id }]);
    expect(server.calls).toEqual([]);
    expect(socket.requests).toEqual([]); // the trimmed end is not a gap

    stored.push(message(901));
    while (held().hasNewer) await loadNewer(queryClient, 'r_1');
    expect(seqs(held()).at(-1)).toBe(901);
    expect(held().skipped).toEqual([]);
  });

  it('for a reader scrolled up in a full window, live messages are remembered instead of pushing out what they read', () => {
    const { queryClient } = setup();
    useActiveRoomStore.setState({ roomId: 'r_1', readingLive: false });
    queryClient.setQueryData<RoomMessages>(messageKeys.room('r_1'), { messages: range(1, MAX_HELD), hasOlder: false });
    applyMessage(queryClient, message(MAX_HELD + 1));
    const held = queryClient.getQueryData<RoomMessages>(messageKeys.room('r_1'))!;
    expect(seqs(held)[0]).toBe(1);
    expect(held.hasNewer).toBe(true);

    // Reading live at the bottom, the oldest end makes room instead.
    useActiveRoomStore.setState({ roomId: 'r_1', readingLive: true });
    queryClient.setQueryData<RoomMessages>(messageKeys.room('r_1'), { messages: range(1, MAX_HELD), hasOlder: false });
    applyMessage(queryClient, message(MAX_HELD + 1));
    expect(seqs(queryClient.getQueryData<RoomMessages>(messageKeys.room('r_1'))!).at(-1)).toBe(MAX_HELD + 1);
  });
});
