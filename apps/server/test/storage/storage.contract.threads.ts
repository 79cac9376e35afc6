import { describe, expect, it } from 'vitest';
import { changed, refusedWith, T1, T2, T3, type ContractContext } from './storage.contract.support.js';

/** Thread replies, history by scope and thread read markers: part of the repository suite (storage.contract.ts). */
export function describeThreads({ storage, send, scene }: ContractContext): void {
  const messages = () => storage().messages;

  describe('threads', () => {
    it('stores a reply as a message of the room, and its root summary with the next rev', async () => {
      const { a, b, r } = await scene();
      const root = (await send(r.id, a.id, 'root')).message;
      await send(r.id, a.id, 'between');
      const first = await send(r.id, b.id, 'r1', 'first reply', { threadRootId: root.id, createdAt: T1 });
      expect(first.created).toBe(true);
      expect(first.message).toMatchObject({ seq: 3, rev: 3, threadRootId: root.id, thread: null, text: 'first reply' });
      expect(first.created && first.root).toEqual({ ...root, rev: 4, thread: { replyCount: 1, lastReplyAt: T1, lastReplySeq: 3 } });
      expect((await storage().rooms.findMembership(r.id, b.id))?.lastReadSeq).toBe(3);
      const second = await send(r.id, a.id, 'r2', 'second reply', { threadRootId: root.id, createdAt: T2 });
      const rootNow = second.created ? second.root : undefined;
      expect(rootNow).toMatchObject({ rev: 6, thread: { replyCount: 2, lastReplyAt: T2, lastReplySeq: 4 } });
      expect(await messages().find(r.id, root.id)).toEqual(rootNow);
      expect(await storage().rooms.findById(r.id)).toMatchObject({ lastSeq: 4, lastRev: 6 });
    });

    it('refuses a reply to a missing root, one of another room, a reply, or a deleted root: nothing stored', async () => {
      const { a, r, other } = await scene();
      const root = (await send(r.id, a.id, 'root')).message;
      const elsewhere = (await send(other.id, a.id, 'elsewhere')).message;
      const reply = (await send(r.id, a.id, 'reply', 'reply', { threadRootId: root.id })).message;
      const gone = (await send(r.id, a.id, 'gone')).message;
      await messages().delete({ roomId: r.id, messageId: gone.id });
      const before = await storage().rooms.findById(r.id);
      await refusedWith(send(r.id, a.id, 'x1', 'x', { threadRootId: 'm_missing' }), 'not-found');
      await refusedWith(send(r.id, a.id, 'x2', 'x', { threadRootId: elsewhere.id }), 'not-found');
      await refusedWith(send(r.id, a.id, 'x3', 'x', { threadRootId: reply.id }), 'not-top-level');
      await refusedWith(send(r.id, a.id, 'x4', 'x', { threadRootId: gone.id }), 'deleted');
      expect(await storage().rooms.findById(r.id)).toEqual(before);
      expect((await messages().history(r.id, { limit: 10 })).map((m) => m.clientMsgId)).toEqual(['root', 'reply', 'gone']);
      // The next message takes the next numbers: the refused ones gave theirs back.
      expect((await send(r.id, a.id, 'next')).message).toMatchObject({ seq: before!.lastSeq + 1, rev: before!.lastRev + 1 });
    });

    it('answers a repeated clientMsgId with the original, whatever its threadRootId', async () => {
      const { a, r } = await scene();
      const root = (await send(r.id, a.id, 'root')).message;
      const top = (await send(r.id, a.id, 'top')).message;
      expect(await send(r.id, a.id, 'top', 'again', { threadRootId: root.id })).toEqual({ created: false, message: top });
      const reply = (await send(r.id, a.id, 'reply', 'reply', { threadRootId: root.id })).message;
      expect(await send(r.id, a.id, 'reply', 'again')).toEqual({ created: false, message: reply });
      expect(await send(r.id, a.id, 'reply', 'again', { threadRootId: 'm_missing' })).toEqual({ created: false, message: reply });
      // The original in its current state.
      const edited = changed(await messages().edit({ roomId: r.id, messageId: top.id, text: 'edited', editedAt: T1 }));
      expect(await send(r.id, a.id, 'top', 'again')).toEqual({ created: false, message: edited });
      expect(await storage().rooms.findById(r.id)).toMatchObject({ lastSeq: 3, lastRev: 5 });
    });

    it('recomputes a root summary when a reply is deleted, with the next rev; no replies left, no thread', async () => {
      const { a, r } = await scene();
      const root = (await send(r.id, a.id, 'root')).message;
      const first = (await send(r.id, a.id, 'r1', 'one', { threadRootId: root.id, createdAt: T1 })).message;
      const second = (await send(r.id, a.id, 'r2', 'two', { threadRootId: root.id, createdAt: T2 })).message;
      const third = (await send(r.id, a.id, 'r3', 'three', { threadRootId: root.id, createdAt: T3 })).message;
      expect(await messages().find(r.id, root.id)).toMatchObject({ rev: 7, thread: { replyCount: 3, lastReplySeq: 4 } });

      const deleteReply = async (messageId: string) => {
        const result = await messages().delete({ roomId: r.id, messageId });
        if (result.kind !== 'changed' || !result.root) throw new Error(`expected a changed root, got ${JSON.stringify(result)}`);
        expect(result.root.rev).toBe(result.message.rev + 1);
        expect(await messages().find(r.id, root.id)).toEqual(result.root);
        return result.root;
      };
      expect(await deleteReply(third.id)).toMatchObject({ rev: 9, thread: { replyCount: 2, lastReplyAt: T2, lastReplySeq: second.seq } });
      expect(await deleteReply(first.id)).toMatchObject({ rev: 11, thread: { replyCount: 1, lastReplyAt: T2, lastReplySeq: second.seq } });
      const bare = await deleteReply(second.id);
      expect(bare).toEqual({ ...root, rev: 13, thread: null });
      // Deleting a deleted reply changes nothing, its root included.
      expect(await messages().delete({ roomId: r.id, messageId: second.id })).toMatchObject({ kind: 'unchanged' });
      expect(await storage().rooms.findById(r.id)).toMatchObject({ lastRev: 13 });
      // A new reply starts the summary again.
      const again = await send(r.id, a.id, 'r4', 'four', { threadRootId: root.id, createdAt: T3 });
      expect(again.created && again.root?.thread).toEqual({ replyCount: 1, lastReplyAt: T3, lastReplySeq: 5 });
    });

    it('pages history by scope: the whole room, top-level messages, one thread', async () => {
      const { a, r, other } = await scene();
      const t1 = (await send(r.id, a.id, 't1')).message; // seq 1
      const t2 = (await send(r.id, a.id, 't2')).message; // seq 2
      for (let i = 1; i <= 5; i++) await send(r.id, a.id, `t1-r${i}`, 'reply', { threadRootId: i % 2 ? t1.id : t2.id }); // seqs 3..7
      await send(r.id, a.id, 't3'); // seq 8
      const foreign = (await send(other.id, a.id, 'foreign')).message;
      await send(other.id, a.id, 'foreign-reply', 'x', { threadRootId: foreign.id });
      const seqs = async (query: Parameters<ReturnType<typeof messages>['history']>[1], roomId = r.id) =>
        (await messages().history(roomId, query)).map((m) => m.seq);

      expect(await seqs({ limit: 20 })).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(await seqs({ limit: 20, topLevel: true })).toEqual([1, 2, 8]);
      expect(await seqs({ limit: 2, topLevel: true })).toEqual([2, 8]);
      expect(await seqs({ limit: 2, topLevel: true, before: 8 })).toEqual([1, 2]);
      expect(await seqs({ limit: 1, topLevel: true, after: 1 })).toEqual([2]);
      expect(await seqs({ limit: 20, threadRootId: t1.id })).toEqual([3, 5, 7]);
      expect(await seqs({ limit: 20, threadRootId: t2.id })).toEqual([4, 6]);
      expect(await seqs({ limit: 2, threadRootId: t1.id })).toEqual([5, 7]);
      expect(await seqs({ limit: 2, threadRootId: t1.id, before: 5 })).toEqual([3]);
      expect(await seqs({ limit: 1, threadRootId: t1.id, after: 3 })).toEqual([5]);
      expect(await seqs({ limit: 20, threadRootId: foreign.id })).toEqual([]);
      expect(await seqs({ limit: 20, threadRootId: t1.id }, other.id)).toEqual([]);
      expect((await messages().history(r.id, { limit: 20, threadRootId: t2.id })).every((m) => m.threadRootId === t2.id)).toBe(true);
    });

    it('moves a thread read marker forward only, never past the room last seq, for roots of the room only', async () => {
      const { a, b, r, other } = await scene();
      const root = (await send(r.id, a.id, 'root')).message;
      const reply = (await send(r.id, a.id, 'reply', 'x', { threadRootId: root.id })).message;
      for (let i = 0; i < 3; i++) await send(r.id, a.id, `m${i}`); // last seq 5
      expect(await messages().markThreadRead(r.id, root.id, b.id, 2)).toBe(2);
      expect(await messages().markThreadRead(r.id, root.id, b.id, 1)).toBe(2);
      expect(await messages().markThreadRead(r.id, root.id, b.id, 99)).toBe(5);
      expect(await messages().markThreadRead(r.id, root.id, a.id, 3)).toBe(3);
      expect(await messages().markThreadRead(other.id, root.id, b.id, 2)).toBe(0);
      expect(await messages().markThreadRead(r.id, reply.id, b.id, 2)).toBe(0);
      expect(await messages().markThreadRead(r.id, 'm_missing', b.id, 2)).toBe(0);
      // Reading a thread is not a change of the room's messages.
      expect(await storage().rooms.findById(r.id)).toMatchObject({ lastSeq: 5, lastRev: 6 });
    });
  });
}
