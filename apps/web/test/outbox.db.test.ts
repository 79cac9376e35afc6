import 'fake-indexeddb/auto';
import { renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newClientMsgId, useChatStore, type OutgoingMessage } from '../src/features/chat/chat.store';
import { usePersistentOutbox } from '../src/features/chat/hooks/use-persistent-outbox';
import { OutboxDb, outboxDbName } from '../src/features/chat/outbox.db';

const outgoing = (text: string, roomId = 'r_1'): OutgoingMessage => ({
  clientMsgId: newClientMsgId(),
  roomId,
  text,
  createdAt: '2026-11-23T12:00:00.000Z',
  status: 'pending',
});

async function savedTexts(userId: string): Promise<string[]> {
  const db = await OutboxDb.open(userId);
  try {
    return (await db.all()).map((m) => m.text);
  } finally {
    db.close();
  }
}

beforeEach(() => useChatStore.getState().reset());
afterEach(async () => {
  useChatStore.getState().reset();
  for (const userId of ['u_ann', 'u_ben']) {
    await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(outboxDbName(userId));
      request.onsuccess = request.onerror = request.onblocked = resolve;
    });
  }
});

describe('the outbox in IndexedDB', () => {
  it('keeps every change, in typed order, per user', async () => {
    const { unmount } = renderHook(() => usePersistentOutbox('u_ann'));
    await waitFor(() => expect(useChatStore.getState().persistence).not.toBeNull());
    const store = useChatStore.getState();
    const [a, b, c] = [outgoing('one'), outgoing('two'), outgoing('three')];
    store.enqueue(a);
    store.enqueue(b);
    store.enqueue(c);
    store.settle(b.clientMsgId);
    store.fail(c.clientMsgId, 'join the room first');
    await waitFor(async () => expect(await savedTexts('u_ann')).toEqual(['one', 'three']));
    expect(await savedTexts('u_ben')).toEqual([]);

    // A reload: memory is gone, IndexedDB is not; what comes back keeps its status and order.
    unmount();
    useChatStore.getState().reset();
    renderHook(() => usePersistentOutbox('u_ann'));
    await waitFor(() => expect(useChatStore.getState().outbox.map((m) => m.text)).toEqual(['one', 'three']));
    expect(useChatStore.getState().outbox.map((m) => m.status)).toEqual(['pending', 'failed']);
  });

  it('merges what was typed before the saved outbox was read, in typed order, and keeps it', async () => {
    const db = await OutboxDb.open('u_ben');
    const older = outgoing('typed before the reload');
    await db.save(older);
    db.close();

    const newer = outgoing('typed while starting up');
    useChatStore.getState().enqueue(newer);
    renderHook(() => usePersistentOutbox('u_ben'));
    await waitFor(() =>
      expect(useChatStore.getState().outbox.map((m) => m.text)).toEqual(['typed before the reload', 'typed while starting up']),
    );
    await waitFor(async () => expect(await savedTexts('u_ben')).toEqual(['typed before the reload', 'typed while starting up']));
  });
});
