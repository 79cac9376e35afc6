import { act, renderHook, waitFor } from '@testing-library/react';
import type { RoomSummary } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RoomMessages } from '../src/features/chat/api/message-window';
import { messageKeys } from '../src/features/chat/api/messages.api';
import { useChatStore } from '../src/features/chat/chat.store';
import { useChatEvents } from '../src/features/chat/hooks/use-chat-events';
import { useOutbox, useSendMessage } from '../src/features/chat/hooks/use-outbox';
import { useRoomEvents } from '../src/features/rooms/hooks/use-room-events';
import { useActiveRoomStore } from '../src/lib/active-room.store';
import { useConnectionStore } from '../src/lib/connection.store';
import { sharedKeys } from '../src/lib/query-keys';
import { BOB, ME, message, roomSummary } from './support/fixtures';
import { historyServer, setup } from './support/render';

const room = (overrides: Partial<RoomSummary> = {}) => roomSummary({ lastSeq: 3, lastRev: 3, ...overrides });

beforeEach(() => {
  useChatStore.getState().reset();
  useActiveRoomStore.setState({ roomId: null, readingLive: false });
  useConnectionStore.setState({ status: 'connected', generation: 1 });
});
afterEach(() => vi.unstubAllGlobals());

/** Mounts the socket glue hooks as the signed-in app does, after its first (re)connection refetch. */
async function mountGlue(rooms: RoomSummary[]) {
  const ctx = setup();
  ctx.queryClient.setQueryData(sharedKeys.rooms, rooms);
  vi.stubGlobal('fetch', historyServer([], rooms).fetchImpl);
  renderHook(
    () => {
      useRoomEvents(ME);
      useChatEvents(ME);
      useOutbox();
    },
    { wrapper: ctx.wrapper },
  );
  await waitFor(() => expect(ctx.queryClient.isFetching()).toBe(0));
  const rooms$ = () => ctx.queryClient.getQueryData<RoomSummary[]>(sharedKeys.rooms)!;
  return { ...ctx, rooms: rooms$ };
}

describe('room events feed the room list', () => {
  it('counts unread for messages from others while I am elsewhere', async () => {
    const { socket, rooms } = await mountGlue([room()]);
    act(() => socket.serverEmit('message:created', message(4)));
    act(() => socket.serverEmit('message:created', message(5, { author: ME })));
    expect(rooms()[0]).toMatchObject({ lastSeq: 5, unread: 1 });
    // A duplicate delivery changes nothing.
    act(() => socket.serverEmit('message:created', message(4)));
    expect(rooms()[0]).toMatchObject({ lastSeq: 5, unread: 1 });
  });

  it('does not count what I am reading live', async () => {
    const { socket, rooms } = await mountGlue([room()]);
    useActiveRoomStore.setState({ roomId: 'r_1', readingLive: true });
    act(() => socket.serverEmit('message:created', message(4)));
    expect(rooms()[0]).toMatchObject({ lastSeq: 4, unread: 0 });
  });

  it('adds rooms I joined, was invited to or that were created, and drops private rooms I left', async () => {
    const { socket, rooms } = await mountGlue([room(), room({ id: 'r_p', kind: 'private', name: 'secret' })]);
    act(() => socket.serverEmit('room:joined', { room: room({ id: 'r_2', name: 'new' }) }));
    act(() => socket.serverEmit('room:invited', { room: { ...room({ id: 'r_3', kind: 'private' }) }, by: BOB }));
    act(() => socket.serverEmit('room:created', { room: { id: 'r_4', kind: 'public', name: 'fresh', memberCount: 1, lastSeq: 0 } }));
    act(() => socket.serverEmit('room:left', { roomId: 'r_p' }));
    act(() => socket.serverEmit('room:left', { roomId: 'r_1' }));
    expect(rooms().map((r) => [r.id, r.joined])).toEqual([
      ['r_1', false],
      ['r_2', true],
      ['r_3', false],
      ['r_4', false],
    ]);
  });

  it('keeps member counts current', async () => {
    const { socket, rooms } = await mountGlue([room({ memberCount: 2 })]);
    act(() => socket.serverEmit('room:member-joined', { roomId: 'r_1', user: BOB }));
    expect(rooms()[0]!.memberCount).toBe(3);
    act(() => socket.serverEmit('room:member-left', { roomId: 'r_1', userId: BOB.id }));
    expect(rooms()[0]!.memberCount).toBe(2);
  });
});

describe('message events feed the message cache', () => {
  it('appends the next message, and catches up with message:changes when a rev was skipped', async () => {
    const stored = [1, 2, 3, 4, 5, 6].map((seq) => message(seq));
    const { socket, queryClient } = await mountGlue([room()]);
    queryClient.setQueryData<RoomMessages>(messageKeys.room('r_1'), { messages: stored.slice(0, 3), hasOlder: false });
    const held = () => queryClient.getQueryData<RoomMessages>(messageKeys.room('r_1'))!.messages.map((m) => m.seq);
    socket.respond('message:changes', () => ({ ok: true, data: { messages: [stored[4]!], lastRev: 6, more: false } }));
    const changes = () => socket.requests.filter((r) => r.event === 'message:changes');

    act(() => socket.serverEmit('message:created', stored[3]));
    expect(held()).toEqual([1, 2, 3, 4]);
    expect(changes()).toEqual([]);

    act(() => socket.serverEmit('message:created', stored[5]));
    await waitFor(() => expect(held()).toEqual([1, 2, 3, 4, 5, 6]));
    expect(changes().map((r) => r.payload)).toEqual([{ roomId: 'r_1', afterRev: 4, limit: 500 }]);
    expect(useChatStore.getState().revs['r_1']).toEqual({ lastRev: 6, ahead: [] });
  });

  it('catches up after a connection that was not recovered, and not after one that was', async () => {
    const stored = [1, 2, 3, 4, 5].map((seq) => message(seq));
    const { socket, queryClient } = await mountGlue([room()]);
    queryClient.setQueryData<RoomMessages>(messageKeys.room('r_1'), { messages: stored.slice(0, 3), hasOlder: false });
    const held = () => queryClient.getQueryData<RoomMessages>(messageKeys.room('r_1'))!.messages.map((m) => m.seq);
    socket.respond('message:changes', () => ({ ok: true, data: { messages: stored.slice(3), lastRev: 5, more: false } }));
    const changes = () => socket.requests.filter((r) => r.event === 'message:changes');

    act(() => useConnectionStore.getState().connected(true));
    expect(changes()).toEqual([]); // the missed events are replayed by the server

    act(() => useConnectionStore.getState().connected(false));
    await waitFor(() => expect(held()).toEqual([1, 2, 3, 4, 5]));
    expect(changes().map((r) => r.payload)).toEqual([{ roomId: 'r_1', afterRev: 3, limit: 500 }]);
  });

  it('shows who is typing, and stops when their message arrives', async () => {
    const { socket } = await mountGlue([room()]);
    act(() => socket.serverEmit('typing:changed', { roomId: 'r_1', userId: BOB.id, username: 'bob', displayName: 'Bob B.', typing: true }));
    expect(useChatStore.getState().typing['r_1']!.map((t) => [t.username, t.displayName])).toEqual([['bob', 'Bob B.']]);
    act(() => socket.serverEmit('message:created', message(4)));
    expect(useChatStore.getState().typing['r_1']).toEqual([]);
  });
});

describe('the outbox', () => {
  function sendFrom(ctx: Awaited<ReturnType<typeof mountGlue>>, text: string) {
    const { result } = renderHook(() => useSendMessage('r_1'), { wrapper: ctx.wrapper });
    act(() => result.current(text));
  }

  it('sends in order, one at a time, and settles each on its ack', async () => {
    const ctx = await mountGlue([room()]);
    ctx.queryClient.setQueryData<RoomMessages>(messageKeys.room('r_1'), { messages: [], hasOlder: false });
    let seq = 0;
    ctx.socket.respond('message:send', (p) => ({
      ok: true,
      data: { message: message(++seq, { author: ME, text: p.text, clientMsgId: p.clientMsgId }) },
    }));
    sendFrom(ctx, 'first');
    sendFrom(ctx, 'second');
    await waitFor(() => expect(useChatStore.getState().outbox).toEqual([]));
    expect(ctx.socket.requests.filter((r) => r.event === 'message:send').map((r) => r.payload.text)).toEqual(['first', 'second']);
    expect(ctx.queryClient.getQueryData<RoomMessages>(messageKeys.room('r_1'))!.messages.map((m) => m.text)).toEqual(['first', 'second']);
  });

  it('shows a refused send as failed with the reason, and retries it with the same id', async () => {
    const ctx = await mountGlue([room()]);
    ctx.socket.respond('message:send', () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'join the room first' } }));
    sendFrom(ctx, 'hello');
    await waitFor(() => expect(useChatStore.getState().outbox[0]).toMatchObject({ status: 'failed', error: 'join the room first' }));
    const firstId = ctx.socket.requests[0]!.payload.clientMsgId;

    ctx.socket.respond('message:send', (p) => ({ ok: true, data: { message: message(1, { author: ME, clientMsgId: p.clientMsgId }) } }));
    act(() => useChatStore.getState().retry(firstId));
    await waitFor(() => expect(useChatStore.getState().outbox).toEqual([]));
    expect(ctx.socket.requests.map((r) => r.payload.clientMsgId)).toEqual([firstId, firstId]);
  });

  it('keeps a send pending while the server cannot store it, and tries again with the same id', async () => {
    const ctx = await mountGlue([room()]);
    let answers = 0;
    ctx.socket.respond('message:send', (p) =>
      ++answers < 3
        ? { ok: false, error: { code: 'UNAVAILABLE', message: 'storage is unavailable; nothing was stored' } }
        : { ok: true, data: { message: message(1, { author: ME, clientMsgId: p.clientMsgId }) } },
    );
    sendFrom(ctx, 'patience');
    await waitFor(() => expect(answers).toBe(2));
    expect(useChatStore.getState().outbox[0]).toMatchObject({ status: 'pending' });
    await waitFor(() => expect(useChatStore.getState().outbox).toEqual([]), { timeout: 3_000 });
    expect(new Set(ctx.socket.requests.map((r) => r.payload.clientMsgId)).size).toBe(1);
  });

  it('resends an unanswered send with the same id', async () => {
    const ctx = await mountGlue([room()]);
    let answers = 0;
    ctx.socket.respond('message:send', (p) =>
      ++answers === 1 ? 'no-answer' : { ok: true, data: { message: message(1, { author: ME, clientMsgId: p.clientMsgId }) } },
    );
    sendFrom(ctx, 'anyone there?');
    await waitFor(() => expect(useChatStore.getState().outbox).toEqual([]));
    const ids = ctx.socket.requests.map((r) => r.payload.clientMsgId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('keeps a send pending while disconnected and sends it on reconnect', async () => {
    const ctx = await mountGlue([room()]);
    ctx.socket.connected = false;
    sendFrom(ctx, 'offline words');
    expect(useChatStore.getState().outbox[0]).toMatchObject({ status: 'pending' });
    expect(ctx.socket.requests).toEqual([]);

    ctx.socket.connected = true;
    ctx.socket.respond('message:send', (p) => ({ ok: true, data: { message: message(1, { author: ME, clientMsgId: p.clientMsgId }) } }));
    act(() => useConnectionStore.getState().connected());
    await waitFor(() => expect(useChatStore.getState().outbox).toEqual([]));
    expect(ctx.socket.requests.filter((r) => r.event === 'message:send')).toHaveLength(1);
  });

  it('settles a send whose ack was lost when its broadcast arrives', async () => {
    const ctx = await mountGlue([room()]);
    ctx.socket.connected = false;
    sendFrom(ctx, 'echo');
    const { clientMsgId } = useChatStore.getState().outbox[0]!;
    act(() => ctx.socket.serverEmit('message:created', message(4, { author: ME, clientMsgId })));
    expect(useChatStore.getState().outbox).toEqual([]);
  });
});
