import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  catchUp,
  lastContiguousSeq,
  loadOlder,
  mergeMessages,
  messageKeys,
  roomMessagesQueryOptions,
  type RoomMessages,
} from '../src/features/chat/api/messages.api';
import { historyServer, message, setup } from './support/render';

afterEach(() => vi.unstubAllGlobals());

describe('mergeMessages', () => {
  it('keeps ascending seq order and drops duplicates', () => {
    const merged = mergeMessages([message(2), message(4)], [message(3), message(1), message(4), message(2)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('returns the same array when nothing is new, so React does not re-render', () => {
    const held = [message(1), message(2)];
    expect(mergeMessages(held, [message(2)])).toBe(held);
  });
});

describe('lastContiguousSeq', () => {
  it('stops at the first gap', () => {
    expect(lastContiguousSeq([])).toBe(0);
    expect(lastContiguousSeq([message(51), message(52), message(53)])).toBe(53);
    expect(lastContiguousSeq([message(1), message(2), message(5), message(6)])).toBe(2);
  });
});

describe('paging and catch-up against the history API', () => {
  const stored = Array.from({ length: 230 }, (_, i) => message(i + 1));

  it('loads the newest page, then older pages until the beginning', async () => {
    const server = historyServer(stored);
    vi.stubGlobal('fetch', server.fetchImpl);
    const { queryClient } = setup();
    await queryClient.fetchQuery(roomMessagesQueryOptions('r_1'));
    const held = () => queryClient.getQueryData<RoomMessages>(messageKeys.room('r_1'))!;
    expect(held().messages.map((m) => m.seq)).toEqual(stored.slice(-50).map((m) => m.seq));
    expect(held().hasOlder).toBe(true);
    while (held().hasOlder) await loadOlder(queryClient, 'r_1');
    expect(held().messages).toEqual(stored);
    expect(server.calls.at(-1)).toBe('/api/rooms/r_1/messages?limit=50&before=31');
  });

  it('fetches everything after the last contiguous seq, page by page', async () => {
    const server = historyServer(stored);
    vi.stubGlobal('fetch', server.fetchImpl);
    const { queryClient } = setup();
    queryClient.setQueryData<RoomMessages>(messageKeys.room('r_1'), {
      messages: [message(1), message(2), message(3), message(200)],
      hasOlder: false,
    });
    await catchUp(queryClient, 'r_1');
    expect(queryClient.getQueryData<RoomMessages>(messageKeys.room('r_1'))!.messages).toEqual(stored);
    expect(server.calls).toEqual([
      '/api/rooms/r_1/messages?limit=100&after=3',
      '/api/rooms/r_1/messages?limit=100&after=103',
      '/api/rooms/r_1/messages?limit=100&after=203',
    ]);
  });
});
