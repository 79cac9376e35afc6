import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mentionQuery } from '../../src/domain/mentions.js';
import { changed, type ContractContext } from './storage.contract.support.js';

/**
 * Mentions, followed threads and mute (issue 15): part of the repository suite (storage.contract.ts).
 * The badges come from rows above stored markers; the last test replays random histories against
 * a model of the rules and compares every badge after every step.
 */
export function describeMentions({ storage, user, room, send }: ContractContext): void {
  const messages = () => storage().messages;
  const rooms = () => storage().rooms;
  const badges = async (roomId: string, userId: string) => {
    const view = await rooms().view(roomId, userId);
    return { mentions: view!.mentions, threadsUnread: view!.threadsUnread };
  };
  /** A message whose mentions the domain read from its text (`@room` allowed when `owner`). */
  const say = (roomId: string, authorId: string, clientMsgId: string, text: string, owner = false, threadRootId?: string) =>
    send(roomId, authorId, clientMsgId, text, { mentions: mentionQuery(text, owner), ...(threadRootId ? { threadRootId } : {}) });

  describe('mentions', () => {
    it('stores the members a text names, case-insensitively and as whole words, never the author nor outsiders', async () => {
      const [a, b, c, d] = [await user('amy'), await user('bob'), await user('cy'), await user('dee')];
      const r = await room('public', a.id, [a.id, b.id, c.id]);
      const sent = await say(r.id, a.id, 'm1', 'hi @BOB, @cy. and @amy @dee @bobby mail@cy');
      expect(sent.message.mentions).toEqual([b.id, c.id]);
      expect((await messages().find(r.id, sent.message.id))!.mentions).toEqual([b.id, c.id]);
      expect((await messages().history(r.id, { limit: 5 }))[0]!.mentions).toEqual([b.id, c.id]);
      expect(await badges(r.id, b.id)).toEqual({ mentions: 1, threadsUnread: 0 });
      expect(await badges(r.id, a.id)).toEqual({ mentions: 0, threadsUnread: 0 });
      expect((await rooms().view(r.id, d.id))!.mentions).toBe(0);
      // @room: every member but the author, only when the domain allowed it.
      expect((await say(r.id, b.id, 'm2', 'hey @room')).message.mentions).toEqual([]);
      expect((await say(r.id, a.id, 'm3', 'hey @room', true)).message.mentions).toEqual([b.id, c.id]);
      expect(await badges(r.id, c.id)).toEqual({ mentions: 2, threadsUnread: 0 });
      await rooms().markRead(r.id, c.id, 2);
      expect(await badges(r.id, c.id)).toEqual({ mentions: 1, threadsUnread: 0 });
    });

    it('recomputes mentions on edit and erases them on delete, for good', async () => {
      const [a, b, c] = [await user('ann'), await user('ben'), await user('cat')];
      const r = await room('public', a.id, [a.id, b.id, c.id]);
      const { message } = await say(r.id, a.id, 'm1', 'ask @ben');
      const edit = (text: string) =>
        messages().edit({ roomId: r.id, messageId: message.id, text, editedAt: message.createdAt, mentions: mentionQuery(text, false) });
      expect(changed(await edit('ask @cat')).mentions).toEqual([c.id]);
      expect(await badges(r.id, b.id)).toEqual({ mentions: 0, threadsUnread: 0 });
      expect(await badges(r.id, c.id)).toEqual({ mentions: 1, threadsUnread: 0 });
      expect(changed(await messages().delete({ roomId: r.id, messageId: message.id })).mentions).toEqual([]);
      expect(await badges(r.id, c.id)).toEqual({ mentions: 0, threadsUnread: 0 });
      expect((await messages().find(r.id, message.id))!.mentions).toEqual([]);
    });

    it('counts the threads I follow (wrote the root, replied, was mentioned) with replies past my thread marker', async () => {
      const [a, b, c] = [await user('al'), await user('bo'), await user('cj')];
      const r = await room('public', a.id, [a.id, b.id, c.id]);
      const root = (await say(r.id, a.id, 'root', 'a question')).message;
      await say(r.id, b.id, 'r1', 'an answer', false, root.id);
      expect(await badges(r.id, a.id)).toEqual({ mentions: 0, threadsUnread: 1 });
      expect(await badges(r.id, b.id)).toEqual({ mentions: 0, threadsUnread: 0 });
      expect(await badges(r.id, c.id)).toEqual({ mentions: 0, threadsUnread: 0 });
      await say(r.id, a.id, 'r2', 'thanks, and @cj?', false, root.id);
      expect(await badges(r.id, b.id)).toEqual({ mentions: 0, threadsUnread: 1 });
      expect(await badges(r.id, c.id)).toEqual({ mentions: 1, threadsUnread: 1 });
      await messages().markThreadRead(r.id, root.id, c.id, 3);
      expect(await badges(r.id, c.id)).toEqual({ mentions: 1, threadsUnread: 0 });
      // Leaving ends my follows; mentions before my new read marker are not unread.
      await rooms().removeMember(r.id, b.id);
      await rooms().addMember(r.id, b.id, root.createdAt);
      await say(r.id, c.id, 'r3', 'me too', false, root.id);
      expect(await badges(r.id, b.id)).toEqual({ mentions: 0, threadsUnread: 0 });
      expect(await badges(r.id, a.id)).toEqual({ mentions: 0, threadsUnread: 1 });
    });

    it('mutes a room for a member only, and tells whether it changed', async () => {
      const [a, b] = [await user('mo'), await user('ned')];
      const r = await room('public', a.id, [a.id]);
      expect((await rooms().view(r.id, a.id))!.muted).toBe(false);
      expect(await rooms().setMuted(r.id, a.id, true)).toBe(true);
      expect(await rooms().setMuted(r.id, a.id, true)).toBe(false);
      expect((await rooms().view(r.id, a.id))!.muted).toBe(true);
      expect((await rooms().listVisible(a.id)).find((v) => v.id === r.id)!.muted).toBe(true);
      expect(await rooms().setMuted(r.id, b.id, true)).toBeNull();
      expect((await rooms().view(r.id, b.id))!.muted).toBe(false);
      expect(await rooms().setMuted(r.id, a.id, false)).toBe(true);
      expect((await rooms().view(r.id, a.id))!.muted).toBe(false);
    });

    it('keeps every badge equal to a model of the rules through random sends, edits, deletes, joins, leaves and reads', async () => {
      const step = fc.oneof(
        {
          weight: 4,
          arbitrary: fc.record({
            op: fc.constant('send' as const),
            who: fc.nat(3),
            names: fc.uniqueArray(fc.nat(4), { maxLength: 3 }),
            reply: fc.option(fc.nat(99)),
          }),
        },
        fc.record({ op: fc.constant('edit' as const), which: fc.nat(99), names: fc.uniqueArray(fc.nat(4), { maxLength: 3 }) }),
        fc.record({ op: fc.constant('delete' as const), which: fc.nat(99) }),
        fc.record({ op: fc.constantFrom('join' as const, 'leave' as const), who: fc.integer({ min: 1, max: 3 }) }),
        fc.record({ op: fc.constant('read' as const), who: fc.nat(3), seq: fc.nat(40) }),
        fc.record({ op: fc.constant('threadRead' as const), who: fc.nat(3), which: fc.nat(99), seq: fc.nat(40) }),
      );
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 40 }), async (steps) => {
          run += 1;
          const people = [await user(`own${run}`), await user(`pat${run}`), await user(`quin${run}`), await user(`rue${run}`)];
          const ids = people.map((p) => p.id);
          const r = await room('public', ids[0]!, [ids[0]!, ids[1]!]);
          const model = new BadgeModel(ids);
          // Index 4 names nobody in the room: `@room`, which only the owner (0) may say.
          const textOf = (names: number[], n: number) =>
            `${n} ` + names.map((i) => (i === 4 ? '@room' : `@${people[i]!.username.toUpperCase()}`)).join(' ');
          let n = 0;
          for (const s of steps) {
            n += 1;
            if (s.op === 'send') {
              if (!model.members.has(ids[s.who]!)) continue;
              const root = s.reply === null ? undefined : model.pick(s.reply);
              if (root && (root.deleted || root.threadRootId !== null)) continue;
              const text = textOf(s.names, n);
              const { message } = await say(r.id, ids[s.who]!, `c${n}`, text, s.who === 0, root?.id);
              model.send(message.id, ids[s.who]!, resolve(s.names, ids, model, s.who), root?.id ?? null);
            } else if (s.op === 'edit') {
              const target = model.pick(s.which);
              if (!target || target.deleted) continue;
              const text = textOf(s.names, n);
              const who = ids.indexOf(target.authorId);
              await messages().edit({ roomId: r.id, messageId: target.id, text, editedAt: 'x', mentions: mentionQuery(text, who === 0) });
              model.edit(target, resolve(s.names, ids, model, who));
            } else if (s.op === 'delete') {
              const target = model.pick(s.which);
              if (!target) continue;
              await messages().delete({ roomId: r.id, messageId: target.id });
              model.delete(target);
            } else if (s.op === 'join') {
              if ((await rooms().addMember(r.id, ids[s.who]!, 'x')) === 'added') model.join(ids[s.who]!);
            } else if (s.op === 'leave') {
              // Leaving ends the threads followed in the room, also for a non-member: the author of a root
              // who left still follows its thread once someone replies.
              await rooms().removeMember(r.id, ids[s.who]!);
              model.leave(ids[s.who]!);
            } else if (s.op === 'read') {
              if (!model.members.has(ids[s.who]!)) continue;
              await rooms().markRead(r.id, ids[s.who]!, s.seq);
              model.read(ids[s.who]!, s.seq);
            } else if (s.op === 'threadRead') {
              const root = model.pick(s.which);
              if (!model.members.has(ids[s.who]!) || !root || root.threadRootId !== null) continue;
              await messages().markThreadRead(r.id, root.id, ids[s.who]!, s.seq);
              model.threadRead(root.id, ids[s.who]!, s.seq);
            }
            for (const id of ids) expect(await badges(r.id, id), `${id} after step ${n}: ${JSON.stringify(s)}`).toEqual(model.badges(id));
          }
          for (const m of model.messages)
            expect((await messages().find(r.id, m.id))!.mentions).toEqual(m.deleted ? [] : [...m.mentions].sort());
        }),
        { numRuns: 25 },
      );
    }, 60_000);
  });
}

/** The members names (indexes; 4 = `@room`, the owner's only) mention, the author aside. */
function resolve(names: number[], ids: string[], model: BadgeModel, author: number): string[] {
  const everyone = author === 0 && names.includes(4);
  return ids.filter((id, i) => i !== author && model.members.has(id) && (everyone || names.includes(i)));
}

interface ModelMessage {
  id: string;
  seq: number;
  authorId: string;
  threadRootId: string | null;
  deleted: boolean;
  mentions: Set<string>;
}

/** The rules of CONTRACT.md v2 and issue 15, kept the plainest way: every badge recounted from everything. */
class BadgeModel {
  readonly messages: ModelMessage[] = [];
  readonly members = new Map<string, number>();
  /** Per `${root} ${user}`: the thread marker, and whether they follow it. */
  private readonly threads = new Map<string, { marker: number; following: boolean }>();
  private lastSeq = 0;

  /** One of the messages, by any index (none yet: undefined). */
  pick(index: number): ModelMessage | undefined {
    return this.messages[index % Math.max(1, this.messages.length)];
  }

  constructor(ids: string[]) {
    this.members.set(ids[0]!, 0).set(ids[1]!, 0);
  }

  send(id: string, authorId: string, mentioned: string[], threadRootId: string | null) {
    const message = { id, seq: ++this.lastSeq, authorId, threadRootId, deleted: false, mentions: new Set(mentioned) };
    this.messages.push(message);
    this.members.set(authorId, message.seq);
    for (const userId of mentioned) this.follow(threadRootId ?? id, userId, 0);
    if (threadRootId === null) return;
    this.follow(threadRootId, this.messages.find((m) => m.id === threadRootId)!.authorId, 0);
    this.follow(threadRootId, authorId, message.seq);
  }

  edit(message: ModelMessage, mentioned: string[]) {
    message.mentions = new Set(mentioned);
    for (const userId of mentioned) this.follow(message.threadRootId ?? message.id, userId, 0);
  }

  delete(message: ModelMessage) {
    message.deleted = true;
    message.mentions = new Set();
  }

  join(userId: string) {
    this.members.set(userId, this.lastSeq);
  }

  leave(userId: string) {
    this.members.delete(userId);
    for (const key of [...this.threads.keys()]) if (key.endsWith(` ${userId}`)) this.threads.delete(key);
  }

  read(userId: string, seq: number) {
    this.members.set(userId, Math.max(this.members.get(userId)!, Math.min(seq, this.lastSeq)));
  }

  threadRead(rootId: string, userId: string, seq: number) {
    const thread = this.threads.get(`${rootId} ${userId}`) ?? { marker: 0, following: false };
    this.threads.set(`${rootId} ${userId}`, { ...thread, marker: Math.max(thread.marker, Math.min(seq, this.lastSeq)) });
  }

  badges(userId: string) {
    const marker = this.members.get(userId);
    if (marker === undefined) return { mentions: 0, threadsUnread: 0 };
    const mentions = this.messages.filter((m) => m.mentions.has(userId) && m.seq > marker).length;
    let threadsUnread = 0;
    for (const [key, { marker: threadMarker, following }] of this.threads) {
      const [rootId, who] = key.split(' ');
      if (who !== userId || !following) continue;
      const replies = this.messages.filter((m) => m.threadRootId === rootId && !m.deleted).map((m) => m.seq);
      if (replies.length > 0 && Math.max(...replies) > threadMarker) threadsUnread += 1;
    }
    return { mentions, threadsUnread };
  }

  private follow(rootId: string, userId: string, marker: number) {
    const thread = this.threads.get(`${rootId} ${userId}`);
    this.threads.set(`${rootId} ${userId}`, { marker: Math.max(thread?.marker ?? 0, marker), following: true });
  }
}
