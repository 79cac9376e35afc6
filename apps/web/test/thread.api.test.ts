import { describe, expect, it } from 'vitest';
import { addLiveReplies, mergeNewestPage, mergeReplies, THREAD_PAGE_SIZE } from '../src/features/chat/api/thread.api';
import { reply } from './support/fixtures';

const seqs = (list: { seq: number }[]) => list.map((m) => m.seq);
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => reply(from + i));

describe('thread replies held', () => {
  it('merge: one per id in seq order, the highest rev winning, the same list when nothing changed', () => {
    const held = [reply(2), reply(5)];
    expect(mergeReplies(held, [reply(2), reply(5, { rev: 4 })])).toBe(held);
    const merged = mergeReplies(held, [reply(9), reply(3), reply(5, { rev: 7, text: 'edited' }), reply(3)]);
    expect(seqs(merged)).toEqual([2, 3, 5, 9]);
    expect(merged[2]!.text).toBe('edited');
  });

  it('live replies: older than the oldest held are left out while older pages are unfetched', () => {
    const data = { replies: [reply(10), reply(11)], hasOlder: true };
    expect(seqs(addLiveReplies(data, [reply(4), reply(12)]).replies)).toEqual([10, 11, 12]);
    expect(addLiveReplies(data, [reply(4)])).toBe(data);
    expect(seqs(addLiveReplies({ ...data, hasOlder: false }, [reply(4)]).replies)).toEqual([4, 10, 11]);
  });

  it('a newest page that overlaps what is held merges into it', () => {
    const data = { replies: range(100, 60), hasOlder: true };
    const page = range(120, THREAD_PAGE_SIZE).map((m) => (m.seq === 130 ? { ...m, rev: 500, text: 'edited' } : m));
    const merged = mergeNewestPage(data, page);
    expect(seqs(merged.replies)).toEqual(seqs(range(100, 70)));
    expect(merged.replies.find((m) => m.seq === 130)!.text).toBe('edited');
    expect(merged.hasOlder).toBe(true);
  });

  it('a full newest page past what is held replaces it: no hole, older ones paged again', () => {
    const data = { replies: [...range(10, 5), reply(500)], hasOlder: false };
    const page = range(200, THREAD_PAGE_SIZE);
    // reply 500 arrived live after the page was read: kept.
    expect(mergeNewestPage(data, page)).toEqual({ replies: [...page, reply(500)], hasOlder: true });
  });
});
