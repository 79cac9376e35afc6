import type { Message, MessageChanges } from '@parley/protocol';
import { describe, expect } from 'vitest';
import { join, type Client } from '../support/harness.js';
import { it } from '../support/people.js';
import { concurrentChanges, expectGaplessStream, refused, roomOf, roomsOfEveryKind, send, summaryOf } from './conversation.support.js';

const byRev = (a: Message, b: Message) => a.rev - b.rev;

/** Every message of a room in its current state (at most 100), ascending by rev. */
async function currentByRev(reader: Client, roomId: string): Promise<Message[]> {
  return (await reader.call('message:history', { roomId, limit: 100 })).messages.sort(byRev);
}

/** A mix of every kind of change into a room: sends, edits, reactions on and off, deletes, thread replies. */
async function mixedChanges(roomId: string, alice: Client, bob: Client): Promise<void> {
  const [a1, b1, a2, b2, a3] = [
    await send(alice, roomId, 'a1'),
    await send(bob, roomId, 'b1'),
    await send(alice, roomId, 'a2'),
    await send(bob, roomId, 'b2'),
    await send(alice, roomId, 'a3'),
  ];
  await alice.call('message:edit', { roomId, messageId: a1!.id, text: 'a1, edited' });
  await bob.call('reaction:set', { roomId, messageId: a1!.id, emoji: '👍', on: true });
  await alice.call('reaction:set', { roomId, messageId: b1!.id, emoji: '🎉', on: true });
  await bob.call('message:delete', { roomId, messageId: b2!.id });
  await send(bob, roomId, 'reply to a2', a2!.id);
  await alice.call('message:edit', { roomId, messageId: a1!.id, text: 'a1, edited twice' });
  await alice.call('reaction:set', { roomId, messageId: b1!.id, emoji: '🎉', on: false });
  await send(alice, roomId, 'reply to a2 again', a2!.id);
  await bob.call('reaction:set', { roomId, messageId: a3!.id, emoji: '🔥', on: true });
  await send(alice, roomId, 'a4');
}

describe('message:changes', () => {
  it('gives every message changed after afterRev once, in its current state, ascending by rev', async ({ server, alice, bob, carol }) => {
    const roomId = await roomOf(alice, 'public', [bob, carol]);
    await mixedChanges(roomId, alice, bob);
    const { lastRev } = await summaryOf(server, carol, roomId);
    expect(lastRev).toBe(17); // 8 messages, 2 edits, 4 reaction changes, 1 delete, 2 changes of a thread root

    const everything = await currentByRev(carol, roomId);
    expect(await carol.call('message:changes', { roomId, afterRev: 0, limit: 500 })).toEqual({
      messages: everything,
      lastRev,
      more: false,
    });
    expect(await carol.call('message:changes', { roomId, afterRev: 0 })).toEqual({ messages: everything, lastRev, more: false });
    const revs = everything.map((m) => m.rev);
    expect(new Set(revs).size).toBe(revs.length);
    expect(revs.at(-1)).toBe(lastRev);

    for (const afterRev of [1, 7, 12, 16]) {
      const changes = await carol.call('message:changes', { roomId, afterRev });
      expect(changes).toEqual({ messages: everything.filter((m) => m.rev > afterRev), lastRev, more: false });
    }
    expect(await carol.call('message:changes', { roomId, afterRev: lastRev })).toEqual({ messages: [], lastRev, more: false });
  });

  it('pages with limit: lastRev is the last message’s rev while more, the room’s lastRev after; paging reaches everything', async ({
    server,
    alice,
    bob,
  }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    await mixedChanges(roomId, alice, bob);
    const { lastRev } = await summaryOf(server, bob, roomId);
    const everything = await currentByRev(bob, roomId);
    expect(everything).toHaveLength(8);

    for (const limit of [1, 3, 4, 8]) {
      const pages: MessageChanges[] = [];
      let afterRev = 0;
      for (let more = true; more;) {
        const page = await bob.call('message:changes', { roomId, afterRev, limit });
        pages.push(page);
        ({ more, lastRev: afterRev } = page);
        if (pages.length > 20) throw new Error('paging does not end');
      }
      expect(pages.flatMap((p) => p.messages)).toEqual(everything);
      expect(pages).toHaveLength(Math.ceil(everything.length / limit)); // a full last page says more: false
      for (const page of pages.slice(0, -1)) {
        expect(page.messages).toHaveLength(limit);
        expect(page).toMatchObject({ more: true, lastRev: page.messages.at(-1)!.rev });
      }
      expect(pages.at(-1)).toMatchObject({ more: false, lastRev });
    }
  });

  it('is readable as history is: public rooms by anyone signed in; NOT_FOUND in private rooms and DMs for outsiders', async ({
    alice,
    bob,
    carol,
  }) => {
    for (const { kind, roomId, message } of await roomsOfEveryKind(alice, bob)) {
      const ack = await carol.request('message:changes', { roomId, afterRev: 0 });
      if (kind === 'public') expect(ack).toEqual({ ok: true, data: { messages: [message], lastRev: message.rev, more: false } });
      else expect(ack).toEqual(refused('NOT_FOUND'));
      expect(await bob.call('message:changes', { roomId, afterRev: 0 })).toEqual({
        messages: [message],
        lastRev: message.rev,
        more: false,
      });
    }
    // Invited is not yet a member.
    const roomId = await roomOf(alice, 'private');
    await send(alice, roomId, 'members only');
    await alice.call('room:invite', { roomId, userId: carol.user.id });
    expect(await carol.request('message:changes', { roomId, afterRev: 0 })).toEqual(refused('NOT_FOUND'));
    expect(await carol.request('message:changes', { roomId: 'r_does_not_exist', afterRev: 0 })).toEqual(refused('NOT_FOUND'));
  });

  it('refuses bad paging with INVALID', async ({ alice }) => {
    const roomId = await roomOf(alice, 'public');
    for (const payload of [
      { roomId, afterRev: -1 },
      { roomId, afterRev: 1.5 },
      { roomId, afterRev: 0, limit: 0 },
      { roomId, afterRev: 0, limit: 501 },
      { roomId },
    ]) {
      expect(await alice.request('message:changes', payload as { roomId: string; afterRev: number }), JSON.stringify(payload)).toEqual(
        refused('INVALID'),
      );
    }
  });
});

describe('the change stream', () => {
  it('is gapless under concurrent writers: every member receives revs 1..N exactly once, N the room’s lastRev', async ({
    server,
    alice,
    bob,
    carol,
  }) => {
    const writers = [alice, bob, carol];
    const roomId = await roomOf(alice, 'public', [bob, carol]);
    await concurrentChanges(roomId, writers);
    const lastRev = await expectGaplessStream(server, roomId, writers);
    const dave = await join(server.url, 'dave');
    try {
      expect((await dave.call('room:join', { roomId })).room.lastRev).toBe(lastRev);
    } finally {
      dave.close();
    }
  });
});
