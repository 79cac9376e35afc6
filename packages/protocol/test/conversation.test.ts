import { describe, expect, it } from 'vitest';
import {
  historyPayloadSchema,
  historyQuerySchema,
  isOneEmoji,
  messageChangesPayloadSchema,
  messageEditPayloadSchema,
  messageSchema,
  reactionSetPayloadSchema,
  threadReadPayloadSchema,
} from '../src/index.js';

const ref = { roomId: 'r_1', messageId: 'm_1' };

describe('v2: one emoji', () => {
  it.each(['👍', '👍🏽', '🇫🇷', '👩‍💻', '❤️', '🏳️‍🌈'])('accepts %s', (emoji) => {
    expect(isOneEmoji(emoji)).toBe(true);
    expect(reactionSetPayloadSchema.safeParse({ ...ref, emoji, on: true }).success).toBe(true);
  });

  it.each(['', 'a', ':)', '👍👍', '👍 ', ' ', '1', 'ab👍', '\u200d'])('refuses %j', (emoji) => {
    expect(isOneEmoji(emoji)).toBe(false);
    expect(reactionSetPayloadSchema.safeParse({ ...ref, emoji, on: true }).success).toBe(false);
  });

  it('refuses keycaps, which have no pictographic code point (as CONTRACT.md defines an emoji)', () => {
    expect(isOneEmoji('#\uFE0F\u20E3')).toBe(false);
  });

  it('refuses an emoji longer than the limit and a missing `on`', () => {
    expect(reactionSetPayloadSchema.safeParse({ ...ref, emoji: `👍${'\u{1F3FB}'.repeat(64)}`, on: true }).success).toBe(false);
    expect(reactionSetPayloadSchema.safeParse({ ...ref, emoji: '👍' }).success).toBe(false);
  });
});

describe('v2 payloads', () => {
  it('edits take the message text rules', () => {
    expect(messageEditPayloadSchema.safeParse({ ...ref, text: 'fixed' }).success).toBe(true);
    expect(messageEditPayloadSchema.safeParse({ ...ref, text: '   ' }).success).toBe(false);
    expect(messageEditPayloadSchema.safeParse({ ...ref, text: 'x'.repeat(4001) }).success).toBe(false);
    expect(messageEditPayloadSchema.safeParse({ ...ref, text: 'ok', authorId: 'u_1' }).success).toBe(false);
  });

  it('pages changes with limit 1 to 500, 100 by default', () => {
    expect(messageChangesPayloadSchema.parse({ roomId: 'r_1', afterRev: 0 })).toEqual({ roomId: 'r_1', afterRev: 0, limit: 100 });
    expect(messageChangesPayloadSchema.safeParse({ roomId: 'r_1', afterRev: 0, limit: 500 }).success).toBe(true);
    expect(messageChangesPayloadSchema.safeParse({ roomId: 'r_1', afterRev: 0, limit: 501 }).success).toBe(false);
    expect(messageChangesPayloadSchema.safeParse({ roomId: 'r_1', afterRev: -1 }).success).toBe(false);
    expect(messageChangesPayloadSchema.safeParse({ roomId: 'r_1', afterRev: 1.5 }).success).toBe(false);
  });

  it('scopes history to a thread or to top-level messages, not both', () => {
    expect(historyPayloadSchema.safeParse({ roomId: 'r_1', threadRootId: 'm_1' }).success).toBe(true);
    expect(historyPayloadSchema.safeParse({ roomId: 'r_1', topLevel: true }).success).toBe(true);
    expect(historyPayloadSchema.safeParse({ roomId: 'r_1', threadRootId: 'm_1', topLevel: true }).success).toBe(false);
    expect(historyQuerySchema.parse({ topLevel: 'true' })).toEqual({ topLevel: true, limit: 50 });
    expect(historyQuerySchema.safeParse({ topLevel: 'yes' }).success).toBe(false);
    expect(historyQuerySchema.safeParse({ threadRootId: 'm_1', topLevel: 'true' }).success).toBe(false);
  });

  it('reads threads with a seq', () => {
    expect(threadReadPayloadSchema.safeParse({ roomId: 'r_1', threadRootId: 'm_1', seq: 3 }).success).toBe(true);
    expect(threadReadPayloadSchema.safeParse({ roomId: 'r_1', seq: 3 }).success).toBe(false);
  });
});

describe('the v2 message shape', () => {
  const message = {
    id: 'm_1',
    roomId: 'r_1',
    seq: 1,
    author: { id: 'u_1', username: 'alice', displayName: '' },
    text: 'hi',
    clientMsgId: 'c-1',
    createdAt: '2026-01-01T00:00:00.000Z',
    rev: 1,
    editedAt: null,
    deleted: false,
    threadRootId: null,
    thread: null,
    reactions: [],
    mentions: [],
    files: [],
  };

  it('has every field, never missing', () => {
    expect(messageSchema.parse(message)).toEqual(message);
    for (const key of Object.keys(message)) {
      const { [key]: _, ...without } = message as Record<string, unknown>;
      expect(messageSchema.safeParse(without).success, key).toBe(false);
    }
  });

  it('carries a thread summary and reactions', () => {
    const root = {
      ...message,
      thread: { replyCount: 2, lastReplyAt: '2026-01-01T00:01:00.000Z', lastReplySeq: 3 },
      reactions: [{ emoji: '👍', userIds: ['u_1', 'u_2'] }],
    };
    expect(messageSchema.safeParse(root).success).toBe(true);
    expect(messageSchema.safeParse({ ...root, rev: 0 }).success).toBe(false);
  });
});
