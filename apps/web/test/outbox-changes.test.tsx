import 'fake-indexeddb/auto';
import { act, renderHook, waitFor } from '@testing-library/react';
import { openDB } from 'idb';
import type { Message } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RoomMessages } from '../src/features/chat/api/message-window';
import { messageKeys } from '../src/features/chat/api/messages.api';
import { useChatStore } from '../src/features/chat/chat.store';
import { enqueueChange, useOutbox, useSendMessage } from '../src/features/chat/hooks/use-outbox';
import { usePersistentOutbox } from '../src/features/chat/hooks/use-persistent-outbox';
import { OutboxDb, outboxDbName } from '../src/features/chat/outbox.db';
import { useConnectionStore } from '../src/lib/connection.store';
import { BOB, ME, message, mine } from './support/fixtures';
import { setup } from './support/render';

const USER = 'u_outbox';

beforeEach(() => {
  useChatStore.getState().reset();
  useConnectionStore.setState({ status: 'connected', generation: 1, recovered: false });
});
afterEach(async () => {
  useChatStore.getState().reset();
  await new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(outboxDbName(USER));
    request.onsuccess = request.onerror = request.onblocked = resolve;
  });
});

/**
 * A fake server holding messages m_1..m_3 (mine) of room r_1: applies edits, deletes and reactions
 * (each idempotent by its result, taking the next rev only when something changed) and sends.
 */
function playServer(ctx: ReturnType<typeof setup>) {
  const stored = new Map<string, Message>([1, 2, 3].map((seq) => [`m_${seq}`, mine(seq)]));
  let rev = 3;
  let seq = 3;
  const change = (id: string, update: (m: Message) => Message) => {
    const held = stored.get(id)!;
    const next = update(held);
    if (JSON.stringify(next) === JSON.stringify(held)) return { ok: true as const, data: { message: held } };
    const changed = { ...next, rev: ++rev };
    stored.set(id, changed);
    return { ok: true as const, data: { message: changed } };
  };
  ctx.socket.respond('message:send', (p) => {
    const sent = mine(++seq, { id: `m_${seq}`, text: p.text, clientMsgId: p.clientMsgId, rev: ++rev });
    stored.set(sent.id, sent);
    return { ok: true, data: { message: sent } };
  });
  ctx.socket.respond('message:edit', (p) => change(p.messageId, (m) => ({ ...m, text: p.text })));
  ctx.socket.respond('message:delete', (p) => change(p.messageId, (m) => ({ ...m, deleted: true, text: '', reactions: [] })));
  ctx.socket.respond('reaction:set', (p) =>
    change(p.messageId, (m) => {
      const others = m.reactions.filter((r) => r.emoji !== p.emoji);
      const users = new Set(m.reactions.find((r) => r.emoji === p.emoji)?.userIds ?? []);
      if (p.on) users.add(ME.id);
      else users.delete(ME.id);
      return { ...m, reactions: users.size > 0 ? [...others, { emoji: p.emoji, userIds: [...users] }] : others };
    }),
  );
  ctx.queryClient.setQueryData<RoomMessages>(messageKeys.room('r_1'), {
    messages: [...stored.values()],
    hasOlder: false,
    hasNewer: false,
    skipped: [],
  });
  return stored;
}

const held = (ctx: ReturnType<typeof setup>) => ctx.queryClient.getQueryData<RoomMessages>(messageKeys.room('r_1'))!.messages;
const sent = (ctx: ReturnType<typeof setup>) => ctx.socket.requests.map((r) => `${r.event} ${r.payload.messageId ?? r.payload.text}`);

describe('the outbox of edits, deletes and reactions', () => {
  it('sends everything in the order it was made, sends included, each once, and applies each ack', async () => {
    const ctx = setup();
    playServer(ctx);
    ctx.socket.connected = false;
    renderHook(() => useOutbox(), { wrapper: ctx.wrapper });
    const { result: send } = renderHook(() => useSendMessage('r_1'), { wrapper: ctx.wrapper });
    act(() => {
      enqueueChange(mine(1), { kind: 'edit', text: 'first, edited' });
      send.current('a new one');
      enqueueChange(mine(2), { kind: 'reaction', emoji: '👍', on: true });
      enqueueChange(mine(3), { kind: 'delete' });
      enqueueChange(mine(2), { kind: 'reaction', emoji: '👍', on: false });
      enqueueChange(mine(2), { kind: 'reaction', emoji: '🎉', on: true });
    });
    expect(ctx.socket.requests).toEqual([]);

    ctx.socket.connected = true;
    act(() => useConnectionStore.getState().connected(false));
    await waitFor(() => expect(useChatStore.getState().changes).toEqual([]));
    expect(useChatStore.getState().outbox).toEqual([]);
    expect(sent(ctx)).toEqual([
      'message:edit m_1',
      'message:send a new one',
      'reaction:set m_2',
      'message:delete m_3',
      'reaction:set m_2',
      'reaction:set m_2',
    ]);
    expect(held(ctx).map((m) => [m.seq, m.deleted ? '(deleted)' : m.text, m.reactions.map((r) => r.emoji).join('')])).toEqual([
      [1, 'first, edited', ''],
      [2, 'message 2', '🎉'],
      [3, '(deleted)', ''],
      [4, 'a new one', ''],
    ]);
  });

  it('drops a refused change and says why on its message; the next one still goes', async () => {
    const ctx = setup();
    playServer(ctx);
    ctx.socket.respond('message:edit', () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'only the author can edit a message' } }));
    renderHook(() => useOutbox(), { wrapper: ctx.wrapper });
    act(() => {
      enqueueChange(message(1, { author: BOB }), { kind: 'edit', text: 'not mine to edit' });
      enqueueChange(mine(2), { kind: 'delete' });
    });
    await waitFor(() => expect(useChatStore.getState().changes).toEqual([]));
    expect(useChatStore.getState().changeErrors).toEqual({ m_1: 'Not edited: only the author can edit a message' });
    expect(held(ctx).map((m) => m.deleted)).toEqual([false, true, false]);
    expect(held(ctx)[0]!.text).toBe('message 1');
  });

  it('keeps a change pending while the server cannot store it, and sends it again as it is', async () => {
    const ctx = setup();
    playServer(ctx);
    let answers = 0;
    ctx.socket.respond('message:edit', (p) =>
      ++answers < 3
        ? { ok: false, error: { code: 'UNAVAILABLE', message: 'storage is unavailable; nothing was stored' } }
        : { ok: true, data: { message: mine(1, { text: p.text, rev: 10 }) } },
    );
    renderHook(() => useOutbox(), { wrapper: ctx.wrapper });
    act(() => enqueueChange(mine(1), { kind: 'edit', text: 'patience' }));
    await waitFor(() => expect(answers).toBe(2));
    expect(useChatStore.getState().changes).toHaveLength(1);
    await waitFor(() => expect(useChatStore.getState().changes).toEqual([]), { timeout: 3_000 });
    expect(ctx.socket.requests.map((r) => r.payload)).toEqual(Array(3).fill({ roomId: 'r_1', messageId: 'm_1', text: 'patience' }));
    expect(useChatStore.getState().changeErrors).toEqual({});
    expect(held(ctx)[0]!.text).toBe('patience');
  });

  it('survives a reload (IndexedDB), then applies each change exactly once, in order', async () => {
    // Made offline, then the page is closed.
    const first = renderHook(() => usePersistentOutbox(USER));
    await waitFor(() => expect(useChatStore.getState().persistence).not.toBeNull());
    act(() => {
      enqueueChange(mine(1), { kind: 'edit', text: 'edited offline' });
      enqueueChange(mine(2), { kind: 'reaction', emoji: '👍', on: true });
      enqueueChange(mine(3), { kind: 'delete' });
    });
    await waitFor(async () => {
      const db = await OutboxDb.open(USER);
      expect((await db.allChanges()).map((c) => c.kind)).toEqual(['edit', 'reaction', 'delete']);
      db.close();
    });
    first.unmount();
    useChatStore.getState().reset();

    // The next start: restored in order, then sent once each when connected.
    const ctx = setup();
    const stored = playServer(ctx);
    renderHook(
      () => {
        usePersistentOutbox(USER);
        useOutbox();
      },
      { wrapper: ctx.wrapper },
    );
    await waitFor(() => expect(sent(ctx)).toEqual(['message:edit m_1', 'reaction:set m_2', 'message:delete m_3']));
    await waitFor(() => expect(useChatStore.getState().changes).toEqual([]));
    expect(stored.get('m_1')!.text).toBe('edited offline');
    expect(stored.get('m_1')!.rev).toBe(4); // one edit stored, not two
    await waitFor(async () => {
      const db = await OutboxDb.open(USER);
      expect(await db.allChanges()).toEqual([]);
      db.close();
    });
    expect(sent(ctx)).toHaveLength(3);
  });

  it('upgrades an outbox database of version 1 and keeps its pending sends', async () => {
    const old = await openDB(outboxDbName(USER), 1, {
      upgrade(db) {
        db.createObjectStore('outbox', { keyPath: 'clientMsgId' });
      },
    });
    await old.put('outbox', { clientMsgId: 'c_old', roomId: 'r_1', text: 'typed before the update', createdAt: '', status: 'pending' });
    old.close();

    const db = await OutboxDb.open(USER);
    expect((await db.all()).map((m) => m.text)).toEqual(['typed before the update']);
    expect(await db.allChanges()).toEqual([]);
    db.close();
  });
});
