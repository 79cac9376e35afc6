import 'fake-indexeddb/auto';
import { renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newClientMsgId, useChatStore, type OutgoingMessage } from '../src/features/chat/chat.store';
import { usePersistentOutbox } from '../src/features/chat/hooks/use-persistent-outbox';
import { openDB } from 'idb';
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

async function savedDrafts(userId: string): Promise<Record<string, string>> {
  const db = await OutboxDb.open(userId);
  try {
    return await db.allDrafts();
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

  it("keeps each composer's draft through a reload, and forgets it once sent", async () => {
    const { unmount } = renderHook(() => usePersistentOutbox('u_ann'));
    await waitFor(() => expect(useChatStore.getState().persistence).not.toBeNull());
    const store = useChatStore.getState();
    store.setDraft('r_1', 'half a tho');
    store.setDraft('r_1', 'half a thought');
    store.setDraft('r_2', 'sent soon');
    store.setDraft('thread:m_1', 'a reply');
    store.setDraft('r_2', '');
    await waitFor(async () => expect(await savedDrafts('u_ann')).toEqual({ r_1: 'half a thought', 'thread:m_1': 'a reply' }));
    expect(await savedDrafts('u_ben')).toEqual({});

    unmount();
    useChatStore.getState().reset();
    expect(useChatStore.getState().drafts).toEqual({});
    renderHook(() => usePersistentOutbox('u_ann'));
    await waitFor(() => expect(useChatStore.getState().drafts).toEqual({ r_1: 'half a thought', 'thread:m_1': 'a reply' }));
  });

  it('keeps a draft typed before the saved ones were read over the saved one of that room', async () => {
    const db = await OutboxDb.open('u_ben');
    await db.saveDraft('r_1', 'saved');
    await db.saveDraft('r_2', 'other room');
    db.close();

    useChatStore.getState().setDraft('r_1', 'typed while starting up');
    renderHook(() => usePersistentOutbox('u_ben'));
    await waitFor(() => expect(useChatStore.getState().drafts).toEqual({ r_1: 'typed while starting up', r_2: 'other room' }));
    await waitFor(async () => expect(await savedDrafts('u_ben')).toEqual({ r_1: 'typed while starting up', r_2: 'other room' }));
  });

  it('upgrades a version 2 database to drafts and keeps its pending sends and changes', async () => {
    const send = outgoing('sent before the upgrade');
    const change = { id: newClientMsgId(), roomId: 'r_1', messageId: 'm_1', createdAt: send.createdAt, kind: 'delete' as const };
    const old = await openDB(outboxDbName('u_ann'), 2, {
      upgrade(database) {
        database.createObjectStore('outbox', { keyPath: 'clientMsgId' });
        database.createObjectStore('changes', { keyPath: 'id' });
      },
    });
    await old.put('outbox', send);
    await old.put('changes', change);
    old.close();

    const db = await OutboxDb.open('u_ann');
    try {
      expect((await db.all()).map((m) => m.text)).toEqual(['sent before the upgrade']);
      expect(await db.allChanges()).toEqual([change]);
      expect(await db.allDrafts()).toEqual({});
      await db.saveDraft('r_1', 'kept');
      expect(await db.allDrafts()).toEqual({ r_1: 'kept' });
    } finally {
      db.close();
    }
  });
});
