import type { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '@parley/protocol';
import { applyToWindow, mergeMessages, replaceByRev, type RoomMessages } from '../src/features/chat/api/message-window';
import { applyMessage } from '../src/features/chat/api/message-changes.api';
import { loadOlder, messageKeys, openAt, roomMessagesQueryOptions } from '../src/features/chat/api/messages.api';
import { message } from './support/fixtures';
import { historyServer, setup } from './support/render';

afterEach(() => vi.unstubAllGlobals());

describe('mergeMessages', () => {
  it('keeps ascending seq order and drops duplicates', () => {
    const merged = mergeMessages([message(2), message(4)], [message(3), message(1), message(4), message(2)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('returns the same array when nothing is new, so React does not re-render', () => {
    const held = [message(2), message(3)];
    expect(mergeMessages(held, [message(2)])).toBe(held);
  });

  it('keeps the newest state of each message: a higher rev replaces, a lower or equal one does not', () => {
    const held = [message(1), message(2, { rev: 10, text: 'edited' })];
    expect(mergeMessages(held, [message(2, { rev: 9, text: 'older' })])).toBe(held);
    expect(mergeMessages(held, [message(2, { rev: 10, text: 'same rev' })])).toBe(held);
    expect(mergeMessages(held, [message(2, { rev: 11, text: 'newer' })]).map((m) => m.text)).toEqual(['message 1', 'newer']);
  });
});

describe('replaceByRev', () => {
  it('replaces a held message only by a newer state of it, and never adds one', () => {
    const held = [message(1, { rev: 5 }), message(2, { rev: 6 })];
    expect(replaceByRev(held, message(1, { rev: 4, text: 'stale' }))).toBe(held);
    expect(replaceByRev(held, message(3, { rev: 9 }))).toBe(held);
    expect(replaceByRev(held, message(1, { rev: 7, text: 'fresh' }))[0]!.text).toBe('fresh');
  });
});

describe('applyToWindow', () => {
  const window: RoomMessages = {
    messages: [message(10, { rev: 20 }), message(12, { rev: 22 })],
    hasOlder: true,
    hasNewer: false,
    skipped: [],
  };

  it('replaces held messages by newer states, never by older ones', () => {
    const next = applyToWindow(window, [message(10, { rev: 30, text: 'edited' }), message(12, { rev: 21, text: 'stale' })]);
    expect(next.messages.map((m) => [m.seq, m.text])).toEqual([
      [10, 'edited'],
      [12, 'message 12'],
    ]);
    expect(applyToWindow(window, [message(12, { rev: 22, text: 'same' })])).toBe(window);
  });

  it('appends top-level messages newer than the newest held, and leaves replies and older messages out', () => {
    const next = applyToWindow(window, [
      message(3, { rev: 31, text: 'an old message edited' }),
      message(11, { rev: 32, threadRootId: 'm_10', text: 'a reply' }),
      message(14, { rev: 33 }),
      message(13, { rev: 34, threadRootId: 'm_10' }),
    ]);
    expect(next.messages.map((m) => m.seq)).toEqual([10, 12, 14]);
  });

  it('puts a missed top-level message where it belongs among those held', () => {
    const next = applyToWindow(window, [message(11, { rev: 35 })]);
    expect(next.messages.map((m) => m.seq)).toEqual([10, 11, 12]);
    // Holding the room from its beginning, nothing older is left out either.
    expect(applyToWindow({ ...window, hasOlder: false }, [message(3, { rev: 36 })]).messages.map((m) => m.seq)).toEqual([3, 10, 12]);
  });

  it('remembers new top-level messages beyond a trimmed newest end instead of appending them', () => {
    const trimmed = { ...window, hasNewer: true };
    const next = applyToWindow(trimmed, [message(40, { rev: 40 })]);
    expect(next.messages.map((m) => m.seq)).toEqual([10, 12]);
    expect(next.skipped).toEqual([{ seq: 40, authorId: 'u_bob' }]);
  });
});

describe('paging against the history API', () => {
  // Thread replies take seqs too: the room's main view pages its top-level messages only.
  const stored = Array.from({ length: 230 }, (_, i) => ((i + 1) % 3 === 0 ? message(i + 1, { threadRootId: 'm_1' }) : message(i + 1)));
  const topLevel = stored.filter((m) => !m.threadRootId);

  it('loads the newest top-level page, then older pages until the beginning', async () => {
    const server = historyServer(stored);
    vi.stubGlobal('fetch', server.fetchImpl);
    const { queryClient } = setup();
    await queryClient.fetchQuery(roomMessagesQueryOptions('r_1'));
    const held = () => queryClient.getQueryData<RoomMessages>(messageKeys.room('r_1'))!;
    expect(held().messages).toEqual(topLevel.slice(-50));
    expect(held().hasOlder).toBe(true);
    while (held().hasOlder) await loadOlder(queryClient, 'r_1');
    expect(held().messages).toEqual(topLevel);
    expect(server.calls[0]).toBe('/api/rooms/r_1/messages?limit=50&topLevel=true');
    expect(server.calls.every((call) => call.includes('topLevel=true'))).toBe(true);
  });
});

describe('windows fetched while the change stream flows', () => {
  /** A history server whose answers wait until `answerAll` (each request is read when answered). */
  function heldServer(stored: Message[]) {
    const waiting: Array<() => void> = [];
    vi.stubGlobal(
      'fetch',
      (input: RequestInfo | URL) =>
        new Promise<Response>((resolve) => {
          waiting.push(() => void historyServer(stored).fetchImpl(input).then(resolve));
        }),
    );
    return {
      requests: () => waiting.length,
      answerAll: () => waiting.splice(0).forEach((answer) => answer()),
    };
  }
  const held = (queryClient: QueryClient) => queryClient.getQueryData<RoomMessages>(messageKeys.room('r_1'))!;

  it("keep what arrived while the room's first page was on its way (a send acked before a page read without it)", async () => {
    const server = heldServer([message(1), message(2)]);
    const { queryClient } = setup();
    const loading = queryClient.fetchQuery(roomMessagesQueryOptions('r_1'));
    await vi.waitFor(() => expect(server.requests()).toBe(1));
    // While the page is on its way: my send is acked, message 2 is edited, and another room gets one.
    applyMessage(queryClient, message(3, { text: 'sent while loading' }));
    applyMessage(queryClient, message(2, { rev: 4, text: 'edited while loading' }));
    applyMessage(queryClient, message(1, { roomId: 'r_2', rev: 5, text: 'elsewhere' }));
    server.answerAll();
    const first = await loading;
    expect(first.messages.map((m) => [m.seq, m.text])).toEqual([
      [1, 'message 1'],
      [2, 'edited while loading'],
      [3, 'sent while loading'],
    ]);
    // Once the window is held, the change stream goes into it.
    applyMessage(queryClient, message(4, { rev: 6 }));
    expect(held(queryClient).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('keep what arrived while the history around a message was on its way (a room opened at its read marker)', async () => {
    const server = heldServer(Array.from({ length: 10 }, (_, i) => message(i + 1)));
    const { queryClient } = setup();
    const opening = openAt(queryClient, 'r_1', 5);
    await vi.waitFor(() => expect(server.requests()).toBe(2));
    applyMessage(queryClient, message(11, { text: 'live while opening' }));
    server.answerAll();
    await opening;
    expect(held(queryClient).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});
