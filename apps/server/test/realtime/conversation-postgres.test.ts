import { expect, it } from 'vitest';
import { api, startWithPeople, stopAll } from '../support/harness.js';
import { describePostgres, useTestSchema } from '../storage/postgres.support.js';
import { concurrentChanges, current, expectGaplessStream, roomOf, send, summaryOf } from './conversation.support.js';

/**
 * The conversation layer over PostgreSQL, through the real app: the other conversation-*.test.ts
 * files run on SQLite, and the repository suite (test/storage) proves both storages alike; these
 * make sure the app on PostgreSQL keeps the stream gapless and idempotent, and forgets a deleted text.
 */
describePostgres('the conversation layer on PostgreSQL', () => {
  const db = useTestSchema();
  const startPeople = async () => startWithPeople({ storage: await db.open() });

  it('keeps the change stream gapless under concurrent writers, and message:changes pages reach everything', async () => {
    const { server, alice, bob, carol } = await startPeople();
    try {
      const writers = [alice, bob, carol];
      const roomId = await roomOf(alice, 'public', [bob, carol]);
      await concurrentChanges(roomId, writers);
      const lastRev = await expectGaplessStream(server, roomId, writers);

      const everything = await carol.call('message:changes', { roomId, afterRev: 0, limit: 500 });
      const paged = [];
      for (let afterRev = 0, more = true; more;) {
        const page = await carol.call('message:changes', { roomId, afterRev, limit: 7 });
        paged.push(...page.messages);
        ({ more, lastRev: afterRev } = page);
      }
      expect(paged).toEqual(everything.messages);
      expect(everything.lastRev).toBe(lastRev);
    } finally {
      await stopAll(server, alice, bob, carol);
    }
  }, 60_000);

  it('takes no rev for a change that changes nothing, and no route returns a deleted text', async () => {
    const { server, alice, bob, carol } = await startPeople();
    try {
      const roomId = await roomOf(alice, 'public', [bob]);
      const root = await send(alice, roomId, 'SECRET first');
      const edited = (await alice.call('message:edit', { roomId, messageId: root.id, text: 'SECRET second' })).message;
      expect(await alice.call('message:edit', { roomId, messageId: root.id, text: 'SECRET second' })).toEqual({ message: edited });
      const reacted = (await bob.call('reaction:set', { roomId, messageId: root.id, emoji: '🦄', on: true })).message;
      expect(await bob.call('reaction:set', { roomId, messageId: root.id, emoji: '🦄', on: true })).toEqual({ message: reacted });
      const reply = await send(bob, roomId, 'SECRET reply', root.id);
      expect(reply).toMatchObject({ seq: 2, rev: 4 });
      expect(await current(bob, roomId, root.id)).toMatchObject({ rev: 5, thread: { replyCount: 1, lastReplySeq: 2 } });

      const tombstone = (await alice.call('message:delete', { roomId, messageId: root.id })).message;
      const replyTombstone = (await bob.call('message:delete', { roomId, messageId: reply.id })).message;
      expect([tombstone.rev, replyTombstone.rev]).toEqual([6, 7]);
      expect(await alice.call('message:delete', { roomId, messageId: root.id })).toEqual({
        message: { ...tombstone, rev: 8, thread: null }, // the reply's delete changed the root's summary
      });
      expect((await summaryOf(server, bob, roomId)).lastRev).toBe(8);

      const http = api(server.url, carol.person.token);
      const everything = JSON.stringify([
        await bob.call('message:history', { roomId }),
        await bob.call('message:history', { roomId, threadRootId: root.id }),
        await bob.call('message:changes', { roomId, afterRev: 0 }),
        await bob.call('message:versions', { roomId, messageId: root.id }),
        await bob.call('message:versions', { roomId, messageId: reply.id }),
        (await http(`/api/rooms/${roomId}/messages`)).body,
        (await http('/api/rooms')).body,
      ]);
      expect(everything).not.toContain('SECRET');
      expect(everything).not.toContain('🦄');
    } finally {
      await stopAll(server, alice, bob, carol);
    }
  });
});
