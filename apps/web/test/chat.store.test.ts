import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newClientMsgId, useChatStore } from '../src/features/chat/chat.store';

const outgoing = (clientMsgId: string, roomId = 'r_1') => ({
  clientMsgId,
  roomId,
  text: clientMsgId,
  createdAt: '2026-11-23T12:00:00.000Z',
  status: 'pending' as const,
});

beforeEach(() => useChatStore.getState().reset());

describe('the outbox', () => {
  it('keeps sends in the order they were typed until each is settled', () => {
    const store = useChatStore.getState();
    store.enqueue(outgoing('a'));
    store.enqueue(outgoing('b'));
    store.enqueue(outgoing('c', 'r_2'));
    useChatStore.getState().settle('b');
    expect(useChatStore.getState().outbox.map((m) => m.clientMsgId)).toEqual(['a', 'c']);
  });

  it('marks a send failed with its reason, and pending again on retry', () => {
    useChatStore.getState().enqueue(outgoing('a'));
    useChatStore.getState().fail('a', 'too long');
    expect(useChatStore.getState().outbox[0]).toMatchObject({ status: 'failed', error: 'too long' });
    useChatStore.getState().retry('a');
    expect(useChatStore.getState().outbox[0]).toMatchObject({ status: 'pending', error: undefined });
  });
});

describe('typing', () => {
  it('shows a typist until they stop, or until their entry expires', () => {
    const store = useChatStore.getState();
    store.setTyping('r_1', { userId: 'u_a', username: 'ann', displayName: '' }, true, 1_000);
    store.setTyping('r_1', { userId: 'u_b', username: 'ben', displayName: '' }, true, 5_000);
    expect(useChatStore.getState().typing['r_1']!.map((t) => t.username)).toEqual(['ann', 'ben']);
    useChatStore.getState().setTyping('r_1', { userId: 'u_b', username: 'ben', displayName: '' }, false);
    expect(useChatStore.getState().typing['r_1']!.map((t) => t.username)).toEqual(['ann']);
    useChatStore.getState().expireTyping(20_000);
    expect(useChatStore.getState().typing['r_1']).toEqual([]);
  });
});

describe('newClientMsgId', () => {
  // uuid's v7 reads the clock (Date.now) itself: an id made at a given millisecond sets the clock first.
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());
  const newClientMsgIdAt = (now: number) => {
    vi.setSystemTime(now);
    return newClientMsgId();
  };

  it('makes UUIDv7 ids that sort by time', () => {
    const early = newClientMsgIdAt(1_700_000_000_000);
    const late = newClientMsgIdAt(1_700_000_000_001);
    expect(early).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(early < late).toBe(true);
    expect(newClientMsgIdAt(5)).not.toBe(newClientMsgIdAt(5));
  });

  it('sorts in the order they were made, within one millisecond and when the clock steps back', () => {
    const ids = [
      ...Array.from({ length: 5_000 }, () => newClientMsgIdAt(1_800_000_000_000)),
      ...Array.from({ length: 10 }, () => newClientMsgIdAt(1_799_999_999_000)),
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
