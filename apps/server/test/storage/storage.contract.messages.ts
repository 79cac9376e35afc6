import { LIMITS } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import type { MessageRecord } from '../../src/storage/storage.js';
import { changed, T0, T1, T2, type ContractContext } from './storage.contract.support.js';

/** The change stream, edits, deletes and reactions: part of the repository suite (storage.contract.ts). */
export function describeMessageChanges({ storage, send, scene }: ContractContext): void {
  const messages = () => storage().messages;
  const lastRev = async (roomId: string) => (await storage().rooms.findById(roomId))!.lastRev;
  const edit = (roomId: string, messageId: string, text: string, editedAt = T1) => messages().edit({ roomId, messageId, text, editedAt });
  const react = (roomId: string, messageId: string, userId: string, emoji: string, on = true) =>
    messages().setReaction({ roomId, messageId, userId, emoji, on });

  describe('the change stream', () => {
    it('gives every change the room next rev, gapless per room; a message carries the rev of its latest change', async () => {
      const { a, r, other } = await scene();
      const first = (await send(r.id, a.id, 'c1')).message;
      const second = (await send(r.id, a.id, 'c2')).message;
      expect([first.rev, second.rev]).toEqual([1, 2]);
      expect((await send(other.id, a.id, 'o1')).message.rev).toBe(1);
      expect(changed(await edit(r.id, first.id, 'edited')).rev).toBe(3);
      expect(changed(await react(r.id, second.id, a.id, '👍')).rev).toBe(4);
      expect(changed(await messages().delete({ roomId: r.id, messageId: first.id })).rev).toBe(5);
      expect(await storage().rooms.findById(r.id)).toMatchObject({ lastSeq: 2, lastRev: 5 });
      expect((await messages().find(r.id, first.id))?.rev).toBe(5);
      expect((await messages().find(r.id, second.id))?.rev).toBe(4);
      expect(await lastRev(other.id)).toBe(1);
    });

    it('pages changes by rev with a probe for more: every message once, in its current state', async () => {
      const { a, r, other } = await scene();
      const sent: MessageRecord[] = [];
      for (let i = 1; i <= 5; i++) sent.push((await send(r.id, a.id, `c${i}`)).message);
      await send(other.id, a.id, 'elsewhere');
      const edited = changed(await edit(r.id, sent[0]!.id, 'first, edited')); // rev 6
      const page = async (afterRev: number, limit: number) => {
        const answer = await messages().changes(r.id, afterRev, limit);
        return {
          ids: answer.messages.map((m) => m.id),
          revs: answer.messages.map((m) => m.rev),
          lastRev: answer.lastRev,
          more: answer.more,
        };
      };
      const ids = sent.map((m) => m.id);
      expect(await page(0, 2)).toEqual({ ids: [ids[1], ids[2]], revs: [2, 3], lastRev: 3, more: true });
      expect(await page(3, 2)).toEqual({ ids: [ids[3], ids[4]], revs: [4, 5], lastRev: 5, more: true });
      expect(await page(5, 2)).toEqual({ ids: [ids[0]], revs: [6], lastRev: 6, more: false });
      expect(await page(4, 2)).toEqual({ ids: [ids[4], ids[0]], revs: [5, 6], lastRev: 6, more: false });
      expect(await page(6, 5)).toEqual({ ids: [], revs: [], lastRev: 6, more: false });
      // Every message once, in its current state: the unedited ones as history has them, then the edited one.
      const unedited = await messages().history(r.id, { after: 1, limit: 10 });
      expect((await messages().changes(r.id, 0, 500)).messages).toEqual([...unedited, edited]);
      expect(await messages().changes('r_missing', 0, 10)).toEqual({ messages: [], lastRev: 0, more: false });
    });

    it('keeps mutations made together independent and numbered: a refused or failed one undoes nothing else', async () => {
      const { a, b, r } = await scene();
      const target = (await send(r.id, a.id, 'target')).message;
      const results = await Promise.allSettled([
        send(r.id, b.id, 'x1'),
        edit(r.id, target.id, 'new text'),
        react(r.id, target.id, b.id, '🎉'),
        send(r.id, a.id, 'reply to nothing', 'text', { threadRootId: 'm_missing' }),
        edit(r.id, 'm_missing', 'nothing'),
        send('r_missing', a.id, 'nowhere'),
        react(r.id, target.id, b.id, '🎉', false),
        send(r.id, a.id, 'x2', 'reply', { threadRootId: target.id }),
      ]);
      expect(results.map((x) => x.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
      ]);
      const revs = results.flatMap((x) => {
        if (x.status !== 'fulfilled') return [];
        const value = x.value as { message?: MessageRecord; root?: MessageRecord; kind?: string };
        if (value.kind !== undefined && value.kind !== 'changed') return [];
        return [value.message!.rev, ...(value.root ? [value.root.rev] : [])];
      });
      expect(revs.sort((x, y) => x - y)).toEqual([2, 3, 4, 5, 6, 7]);
      expect(await storage().rooms.findById(r.id)).toMatchObject({ lastSeq: 3, lastRev: 7 });
      expect(await messages().find(r.id, target.id)).toMatchObject({ text: 'new text', reactions: [], thread: { replyCount: 1 }, rev: 7 });
    });
  });

  describe('edit', () => {
    it('replaces the text and keeps every earlier one as a version, with the time it was set', async () => {
      const { a, r } = await scene();
      const sent = (await send(r.id, a.id, 'c', 'one')).message;
      expect(await messages().versions(r.id, sent.id)).toEqual([{ text: 'one', editedAt: T0 }]);
      const once = changed(await edit(r.id, sent.id, 'two', T1));
      expect(once).toEqual({ ...sent, text: 'two', editedAt: T1, rev: 2 });
      const twice = changed(await edit(r.id, sent.id, 'three', T2));
      expect(twice).toMatchObject({ text: 'three', editedAt: T2, rev: 3, seq: 1, createdAt: T0 });
      expect(await messages().find(r.id, sent.id)).toEqual(twice);
      expect(await messages().history(r.id, { limit: 5 })).toEqual([twice]);
      expect(await messages().versions(r.id, sent.id)).toEqual([
        { text: 'one', editedAt: T0 },
        { text: 'two', editedAt: T1 },
        { text: 'three', editedAt: T2 },
      ]);
    });

    it('changes nothing and takes no rev for the same text again', async () => {
      const { a, r } = await scene();
      const sent = (await send(r.id, a.id, 'c', 'same')).message;
      expect(await edit(r.id, sent.id, 'same')).toEqual({ kind: 'unchanged', message: sent });
      expect(await lastRev(r.id)).toBe(1);
      expect(await messages().versions(r.id, sent.id)).toEqual([{ text: 'same', editedAt: T0 }]);
    });

    it('refuses a message that is not in that room, and a deleted one', async () => {
      const { a, r, other } = await scene();
      const sent = (await send(r.id, a.id, 'c', 'mine')).message;
      expect(await edit(r.id, 'm_missing', 'x')).toEqual({ kind: 'refused', reason: 'not-found' });
      expect(await edit(other.id, sent.id, 'x')).toEqual({ kind: 'refused', reason: 'not-found' });
      expect(await edit('r_missing', sent.id, 'x')).toEqual({ kind: 'refused', reason: 'not-found' });
      expect(await messages().find(other.id, sent.id)).toBeNull();
      expect(await messages().versions(other.id, sent.id)).toEqual([]);
      await messages().delete({ roomId: r.id, messageId: sent.id });
      expect(await edit(r.id, sent.id, 'x')).toEqual({ kind: 'refused', reason: 'deleted' });
      expect(await lastRev(r.id)).toBe(2);
      expect(await lastRev(other.id)).toBe(0);
    });
  });

  describe('delete', () => {
    it('leaves a tombstone: no route returns the old text, reactions or versions', async () => {
      const { a, b, r } = await scene();
      const root = (await send(r.id, b.id, 'root', 'the root')).message;
      const sent = (await send(r.id, a.id, 'c', 'secret one', { threadRootId: root.id })).message;
      await edit(r.id, sent.id, 'secret two');
      await react(r.id, sent.id, b.id, '🦄');
      const tombstone = changed(await messages().delete({ roomId: r.id, messageId: sent.id }));
      expect(tombstone).toEqual({
        ...sent,
        text: '',
        editedAt: null,
        deleted: true,
        reactions: [],
        mentions: [],
        files: [],
        rev: tombstone.rev,
      });
      const routes = {
        find: await messages().find(r.id, sent.id),
        room: await messages().history(r.id, { limit: 10 }),
        after: await messages().history(r.id, { after: 0, limit: 10 }),
        before: await messages().history(r.id, { before: 99, limit: 10 }),
        topLevel: await messages().history(r.id, { limit: 10, topLevel: true }),
        thread: await messages().history(r.id, { limit: 10, threadRootId: root.id }),
        changes: await messages().changes(r.id, 0, 100),
        versions: await messages().versions(r.id, sent.id),
        view: await storage().rooms.view(r.id, a.id),
      };
      expect(JSON.stringify(routes)).not.toMatch(/secret|🦄/);
      expect(routes.find).toEqual(tombstone);
      expect(routes.thread).toEqual([tombstone]);
      expect(routes.changes.messages.find((m) => m.id === sent.id)).toEqual(tombstone);
      expect(routes.versions).toEqual([]);
    });

    it('keeps a deleted root thread summary; deleting a deleted message changes nothing', async () => {
      const { a, r } = await scene();
      const root = (await send(r.id, a.id, 'root')).message;
      await send(r.id, a.id, 'reply', 'reply', { threadRootId: root.id, createdAt: T1 });
      const tombstone = changed(await messages().delete({ roomId: r.id, messageId: root.id }));
      expect(tombstone).toMatchObject({ deleted: true, threadRootId: null, thread: { replyCount: 1, lastReplyAt: T1, lastReplySeq: 2 } });
      expect(tombstone.rev).toBe(4);
      expect(await messages().delete({ roomId: r.id, messageId: root.id })).toEqual({ kind: 'unchanged', message: tombstone });
      expect(await lastRev(r.id)).toBe(4);
    });

    it('refuses a message that is not in that room', async () => {
      const { a, r, other } = await scene();
      const sent = (await send(r.id, a.id, 'c')).message;
      expect(await messages().delete({ roomId: other.id, messageId: sent.id })).toEqual({ kind: 'refused', reason: 'not-found' });
      expect(await messages().delete({ roomId: r.id, messageId: 'm_missing' })).toEqual({ kind: 'refused', reason: 'not-found' });
      expect(await messages().find(r.id, sent.id)).toEqual(sent);
    });
  });

  describe('reactions', () => {
    it('adds users in order, new emoji last; removes them, an emoji nobody uses goes', async () => {
      const { a, b, r } = await scene();
      const sent = (await send(r.id, a.id, 'c')).message;
      await react(r.id, sent.id, a.id, '👍');
      await react(r.id, sent.id, b.id, '👍');
      const three = changed(await react(r.id, sent.id, a.id, '🎉'));
      expect(three.reactions).toEqual([
        { emoji: '👍', userIds: [a.id, b.id] },
        { emoji: '🎉', userIds: [a.id] },
      ]);
      expect(three.rev).toBe(4);
      expect(await react(r.id, sent.id, b.id, '👍')).toEqual({ kind: 'unchanged', message: three });
      expect(changed(await react(r.id, sent.id, a.id, '👍', false)).reactions).toEqual([
        { emoji: '👍', userIds: [b.id] },
        { emoji: '🎉', userIds: [a.id] },
      ]);
      const last = changed(await react(r.id, sent.id, b.id, '👍', false));
      expect(last).toMatchObject({ reactions: [{ emoji: '🎉', userIds: [a.id] }], rev: 6 });
      expect(await react(r.id, sent.id, b.id, '👍', false)).toEqual({ kind: 'unchanged', message: last });
      expect(await react(r.id, sent.id, b.id, '🙈', false)).toEqual({ kind: 'unchanged', message: last });
      expect(await messages().find(r.id, sent.id)).toEqual(last);
      expect(await lastRev(r.id)).toBe(6);
    });

    it(`refuses a ${LIMITS.reactionsPerMessageMax + 1}th distinct emoji, but not another user on one already there`, async () => {
      const { a, b, r } = await scene();
      const sent = (await send(r.id, a.id, 'c')).message;
      const emoji = Array.from({ length: LIMITS.reactionsPerMessageMax + 1 }, (_, i) => String.fromCodePoint(0x1f600 + i));
      for (const e of emoji.slice(0, -1)) changed(await react(r.id, sent.id, a.id, e));
      const full = await lastRev(r.id);
      expect(await react(r.id, sent.id, b.id, emoji.at(-1)!)).toEqual({ kind: 'refused', reason: 'too-many-reactions' });
      expect(await lastRev(r.id)).toBe(full);
      expect(changed(await react(r.id, sent.id, b.id, emoji[0]!)).reactions[0]).toEqual({ emoji: emoji[0], userIds: [a.id, b.id] });
    });

    it('refuses adding to a deleted message, changes nothing removing from one, refuses another room', async () => {
      const { a, r, other } = await scene();
      const sent = (await send(r.id, a.id, 'c')).message;
      expect(await react(other.id, sent.id, a.id, '👍')).toEqual({ kind: 'refused', reason: 'not-found' });
      expect(await react(r.id, 'm_missing', a.id, '👍', false)).toEqual({ kind: 'refused', reason: 'not-found' });
      await react(r.id, sent.id, a.id, '👍');
      const tombstone = changed(await messages().delete({ roomId: r.id, messageId: sent.id }));
      expect(await react(r.id, sent.id, a.id, '🎉')).toEqual({ kind: 'refused', reason: 'deleted' });
      expect(await react(r.id, sent.id, a.id, '👍', false)).toEqual({ kind: 'unchanged', message: tombstone });
      expect(await lastRev(r.id)).toBe(3);
    });
  });
}
