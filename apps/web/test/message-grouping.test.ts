import { describe, expect, it } from 'vitest';
import { continuesGroup, GROUP_WINDOW_MS } from '../src/features/chat/message-grouping';
import { toRows } from '../src/features/chat/components/message-rows';
import { BOB, ME, message } from './support/fixtures';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 23, 12, 0, 0) + ms).toISOString();

describe('message grouping', () => {
  it('groups one author’s messages less than 5 minutes apart, as Slack and Discord do', () => {
    const first = message(1, { createdAt: at(0) });
    expect(continuesGroup(first, message(2, { createdAt: at(GROUP_WINDOW_MS - 1) }))).toBe(true);
    expect(continuesGroup(first, message(2, { createdAt: at(GROUP_WINDOW_MS) }))).toBe(false);
    expect(continuesGroup(first, message(2, { createdAt: at(1000), author: ME }))).toBe(false);
    expect(continuesGroup(undefined, first)).toBe(false);
  });

  it('lets a deleted message or a thread root stand alone', () => {
    const first = message(1, { createdAt: at(0) });
    const later = message(2, { createdAt: at(1000) });
    const root = { replyCount: 2, lastReplyAt: at(500), lastReplySeq: 9 };
    expect(continuesGroup({ ...first, deleted: true }, later)).toBe(false);
    expect(continuesGroup(first, { ...later, deleted: true })).toBe(false);
    expect(continuesGroup({ ...first, thread: root }, later)).toBe(false);
    expect(continuesGroup(first, { ...later, thread: root })).toBe(false);
    // A thread whose replies were all… never had one: a summary with no replies is no root.
    expect(continuesGroup({ ...first, thread: { replyCount: 0, lastReplyAt: null, lastReplySeq: null } }, later)).toBe(true);
  });

  it('starts a group again after a day or New messages separator, and at the oldest row held', () => {
    const messages = [
      message(1, { createdAt: at(0) }),
      message(2, { createdAt: at(1000) }),
      message(3, { createdAt: at(2000) }),
      message(4, { createdAt: at(3000), author: ME }),
      message(5, { createdAt: at(24 * 3600_000) }),
      message(6, { createdAt: at(24 * 3600_000 + 1000) }),
    ];
    const grouped = (rows: ReturnType<typeof toRows>) => rows.map((row) => row.kind === 'message' && row.grouped === true);
    expect(grouped(toRows(messages, []))).toEqual([false, true, true, false, false, true]);
    // The first unread (m_3) starts a group under its separator.
    expect(grouped(toRows(messages, [], false, 2))).toEqual([false, true, false, false, false, true]);
    // With older history not fetched, the oldest held shows its author (who wrote above is unknown).
    expect(grouped(toRows(messages.slice(1), [], true))).toEqual([false, true, false, false, true]);
    expect(BOB.id).not.toBe(ME.id);
  });
});
