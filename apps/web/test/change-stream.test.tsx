import { act, renderHook, waitFor } from '@testing-library/react';
import type { Message, MessageChanges, RoomSummary } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { subscribeToMessageChanges } from '../src/features/chat/api/change-listeners';
import type { RoomMessages } from '../src/features/chat/api/message-window';
import { messageKeys } from '../src/features/chat/api/messages.api';
import { useChatStore } from '../src/features/chat/chat.store';
import { useChatEvents } from '../src/features/chat/hooks/use-chat-events';
import { useActiveRoomStore } from '../src/lib/active-room.store';
import { useConnectionStore } from '../src/lib/connection.store';
import { sharedKeys } from '../src/lib/query-keys';
import { ME, message, roomSummary } from './support/fixtures';
import { historyServer, setup } from './support/render';

const room = (overrides: Partial<RoomSummary> = {}) => roomSummary({ lastSeq: 3, lastRev: 3, ...overrides });

beforeEach(() => {
  useChatStore.getState().reset();
  useActiveRoomStore.setState({ roomId: null, readingLive: false });
  useConnectionStore.setState({ status: 'connected', generation: 0, recovered: false });
});
afterEach(() => vi.unstubAllGlobals());

/** The chat feature's socket glue over a room list and (optionally) held windows, as the signed-in app mounts it. */
function mount(rooms: RoomSummary[], windows: Record<string, Message[]> = {}) {
  const ctx = setup();
  vi.stubGlobal('fetch', historyServer([], rooms).fetchImpl);
  ctx.queryClient.setQueryData(sharedKeys.rooms, rooms);
  for (const [roomId, messages] of Object.entries(windows)) {
    ctx.queryClient.setQueryData<RoomMessages>(messageKeys.room(roomId), { messages, hasOlder: false, hasNewer: false, skipped: [] });
  }
  renderHook(() => useChatEvents(ME), { wrapper: ctx.wrapper });
  const held = (roomId = 'r_1') => ctx.queryClient.getQueryData<RoomMessages>(messageKeys.room(roomId))!.messages;
  const changeRequests = () => ctx.socket.requests.filter((r) => r.event === 'message:changes').map((r) => r.payload);
  const lastRev = (roomId = 'r_1') => useChatStore.getState().revs[roomId]?.lastRev;
  return { ...ctx, held, changeRequests, lastRev };
}

const answer = (messages: Message[], lastRev: number, more = false) => ({ ok: true as const, data: { messages, lastRev, more } });

describe('the change stream: rev order', () => {
  it('replaces a held message by a newer state, and never by an older one', () => {
    const { socket, held, changeRequests, lastRev } = mount([room()], { r_1: [message(1), message(2), message(3)] });
    expect(lastRev()).toBe(3);

    act(() => socket.serverEmit('message:updated', message(2, { rev: 4, text: 'edited', editedAt: '2026-11-23T13:00:00.000Z' })));
    expect(held().map((m) => m.text)).toEqual(['message 1', 'edited', 'message 3']);
    expect(lastRev()).toBe(4);

    // A late delivery of an older state changes nothing.
    act(() => socket.serverEmit('message:updated', message(2, { rev: 2, text: 'stale' })));
    act(() => socket.serverEmit('message:created', message(2)));
    expect(held().map((m) => m.text)).toEqual(['message 1', 'edited', 'message 3']);
    expect(lastRev()).toBe(4);
    expect(changeRequests()).toEqual([]);
  });

  it('keeps thread replies out of the main view, while they still count in the stream', () => {
    const { socket, held, changeRequests, lastRev } = mount([room()], { r_1: [message(1), message(2), message(3)] });
    act(() => socket.serverEmit('message:created', message(4, { threadRootId: 'm_1', text: 'a reply' })));
    act(() => socket.serverEmit('message:updated', message(1, { rev: 5, thread: { replyCount: 1, lastReplyAt: null, lastReplySeq: 4 } })));
    act(() => socket.serverEmit('message:created', message(6, { rev: 6 })));
    expect(held().map((m) => m.seq)).toEqual([1, 2, 3, 6]);
    expect(held()[0]!.thread?.replyCount).toBe(1);
    expect(lastRev()).toBe(6);
    expect(changeRequests()).toEqual([]);
  });

  it('takes lastRev from the room list, and never moves it back', () => {
    const { queryClient, lastRev } = mount([room({ lastRev: 40 }), room({ id: 'r_2', lastRev: 7 })]);
    expect([lastRev('r_1'), lastRev('r_2')]).toEqual([40, 7]);
    act(() => queryClient.setQueryData(sharedKeys.rooms, [room({ lastRev: 30 }), room({ id: 'r_2', lastRev: 9 })]));
    expect([lastRev('r_1'), lastRev('r_2')]).toEqual([40, 9]);
  });
});

describe('the change stream: gaps', () => {
  it('detects a skipped rev and catches up with message:changes while `more`, applying each message', async () => {
    const { socket, held, changeRequests, lastRev } = mount([room()], { r_1: [message(1), message(2), message(3)] });
    const heard: Message[] = [];
    const unsubscribe = subscribeToMessageChanges((m) => heard.push(m));
    const reply = message(4, { rev: 4, threadRootId: 'm_1', text: 'a reply' });
    socket.respond('message:changes', ({ afterRev }) =>
      afterRev === 3
        ? answer([reply, message(2, { rev: 5, text: 'edited meanwhile' }), message(7, { rev: 6, text: 'sent meanwhile' })], 6, true)
        : answer([message(8, { rev: 8 }), message(1, { rev: 9, deleted: true, text: '' })], 9),
    );

    // Rev 4 was missed: this one shows the gap.
    act(() => socket.serverEmit('message:updated', message(2, { rev: 5, text: 'edited meanwhile' })));
    await waitFor(() => expect(lastRev()).toBe(9));

    expect(changeRequests()).toEqual([
      { roomId: 'r_1', afterRev: 3, limit: 500 },
      { roomId: 'r_1', afterRev: 6, limit: 500 },
    ]);
    expect(held().map((m) => [m.seq, m.deleted ? '(deleted)' : m.text])).toEqual([
      [1, '(deleted)'],
      [2, 'edited meanwhile'],
      [3, 'message 3'],
      [7, 'sent meanwhile'],
      [8, 'message 8'],
    ]);
    expect(useChatStore.getState().revs['r_1']!.ahead).toEqual([]);
    // Replies reach whoever keeps threads, never the main view.
    expect(heard).toContainEqual(reply);
    unsubscribe();
  });

  it('runs one catch-up per room at a time, and goes on while a gap remains', async () => {
    const { socket, changeRequests, lastRev } = mount([room()], { r_1: [message(1), message(2), message(3)] });
    const answers: Array<(a: ReturnType<typeof answer>) => void> = [];
    let inFlight = 0;
    let mostInFlight = 0;
    socket.respond('message:changes', () => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      return new Promise((resolve) => answers.push(resolve)).then((a) => {
        inFlight--;
        return a as ReturnType<typeof answer>;
      });
    });

    act(() => socket.serverEmit('message:created', message(6, { rev: 6 })));
    act(() => socket.serverEmit('message:created', message(8, { rev: 8 })));
    act(() => socket.serverEmit('message:created', message(10, { rev: 10 })));
    await waitFor(() => expect(answers).toHaveLength(1));
    // Revs 4 and 5 arrive in the answer; 7 and 9 are still missing: another round.
    act(() => answers[0]!(answer([message(4, { rev: 4 }), message(5, { rev: 5 })], 6)));
    await waitFor(() => expect(answers).toHaveLength(2));
    expect(changeRequests()[1]).toEqual({ roomId: 'r_1', afterRev: 6, limit: 500 });
    act(() => answers[1]!(answer([message(7, { rev: 9, text: 'changed twice' })], 10)));
    // The calls made while it ran share one more catch-up after it.
    await waitFor(() => expect(answers).toHaveLength(3));
    act(() => answers[2]!(answer([], 10)));
    await waitFor(() => expect(inFlight).toBe(0));
    expect(mostInFlight).toBe(1);
    expect(lastRev()).toBe(10);
    expect(changeRequests()).toHaveLength(3);
  });

  it('starts a room joined while its window was held from the newest state held, and catches up', async () => {
    const { socket, queryClient, held, changeRequests, lastRev } = mount([room({ joined: false, role: null })], {
      r_1: [message(1), message(2), message(3)],
    });
    expect(lastRev()).toBeUndefined();
    socket.respond('message:changes', () => answer([message(4, { rev: 4, text: 'said before I joined' })], 4));
    act(() => queryClient.setQueryData(sharedKeys.rooms, [room({ lastRev: 4 })]));
    await waitFor(() => expect(held().map((m) => m.seq)).toEqual([1, 2, 3, 4]));
    expect(changeRequests()).toEqual([{ roomId: 'r_1', afterRev: 3, limit: 500 }]);
    expect(lastRev()).toBe(4);
  });
});

describe('the change stream across reconnections', () => {
  it('after one not recovered, catches up every joined room held from its lastRev; rooms not held follow the list', async () => {
    const rooms = [room(), room({ id: 'r_2', lastRev: 20 }), room({ id: 'r_3', joined: false, role: null, lastRev: 5 })];
    const { socket, queryClient, held, changeRequests, lastRev } = mount(rooms, {
      r_1: [message(1), message(2), message(3)],
      r_3: [message(1, { roomId: 'r_3' })],
    });
    socket.respond('message:changes', ({ roomId }) =>
      answer(roomId === 'r_1' ? [message(1, { rev: 4, text: 'edited offline' }), message(5, { rev: 5 })] : [], 5),
    );

    act(() => useConnectionStore.getState().connected(true));
    expect(changeRequests()).toEqual([]); // recovered: the server replayed what was missed

    act(() => useConnectionStore.getState().connected(false));
    await waitFor(() => expect(lastRev()).toBe(5));
    expect(changeRequests()).toEqual([{ roomId: 'r_1', afterRev: 3, limit: 500 }]);
    expect(held().map((m) => m.text)).toEqual(['edited offline', 'message 2', 'message 3', 'message 5']);

    // The room list, fetched again after the connection: a room not held moves forward, a held one keeps its own.
    act(() => queryClient.setQueryData(sharedKeys.rooms, [room({ lastRev: 9 }), room({ id: 'r_2', lastRev: 31 }), rooms[2]!]));
    expect([lastRev('r_1'), lastRev('r_2')]).toEqual([5, 31]);
  });

  it('loses nothing that changed during a catch-up, and applies nothing twice', async () => {
    const { socket, held, lastRev } = mount([room()], { r_1: [message(1), message(2), message(3)] });
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    socket.respond('message:changes', async () => {
      await gate;
      return answer([message(4, { rev: 4 }), message(2, { rev: 5, text: 'old answer' })], 5);
    });
    act(() => useConnectionStore.getState().connected(false));
    // While the answer is on its way, a newer change to the same message arrives live.
    act(() => socket.serverEmit('message:updated', message(2, { rev: 6, text: 'newest' })));
    act(() => release());
    await waitFor(() => expect(lastRev()).toBe(6));
    expect(held().map((m) => [m.seq, m.text])).toEqual([
      [1, 'message 1'],
      [2, 'newest'],
      [3, 'message 3'],
      [4, 'message 4'],
    ]);
    expect(useChatStore.getState().revs['r_1']!.ahead).toEqual([]);
  });
});

// The answer type the fake server gives, checked against the protocol's.
const _typed: MessageChanges = answer([], 0).data;
void _typed;
