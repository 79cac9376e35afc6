import { describe, expect } from 'vitest';
import { it } from '../support/people.js';
import { current, expectRefusals, expectUnchanged, refused, roomOf, send, settled, summaryOf } from './conversation.support.js';

/** 21 distinct emoji, one of each kind the contract names (flags, skin tones, ZWJ sequences) among them. */
const EMOJI = [
  '👍',
  '❤️',
  '😂',
  '🎉',
  '🇫🇷',
  '👍🏽',
  '👩‍💻',
  '🦄',
  '🔥',
  '👀',
  '✅',
  '🙏',
  '💯',
  '🚀',
  '🤔',
  '😢',
  '👏',
  '🍕',
  '☕',
  '🌈',
  '🐙',
];

describe('reaction:set', () => {
  it('adds (on) and removes (off) my reaction, each with the next rev, told to every member socket', async ({
    server,
    alice,
    bob,
    carol,
  }) => {
    const roomId = await roomOf(alice, 'public', [bob, carol]);
    const original = await send(alice, roomId, 'react to me');

    const added = (await bob.call('reaction:set', { roomId, messageId: original.id, emoji: '👍', on: true })).message;
    expect(added).toEqual({ ...original, reactions: [{ emoji: '👍', userIds: [bob.user.id] }], rev: 2 });
    for (const client of [alice, bob, carol]) expect(await client.waitFor('message:updated', (m) => m.rev === 2)).toEqual(added);

    const removed = (await bob.call('reaction:set', { roomId, messageId: original.id, emoji: '👍', on: false })).message;
    expect(removed).toEqual({ ...original, reactions: [], rev: 3 });
    for (const client of [alice, bob, carol]) expect(await client.waitFor('message:updated', (m) => m.rev === 3)).toEqual(removed);
    expect(await current(carol, roomId, original.id)).toEqual(removed);
    expect((await summaryOf(server, carol, roomId)).lastRev).toBe(3);
  });

  it('orders emoji by first use and each emoji’s users by when they reacted', async ({ alice, bob, carol }) => {
    const roomId = await roomOf(alice, 'public', [bob, carol]);
    const { id: messageId } = await send(alice, roomId, 'popular');
    const react = async (who: typeof alice, emoji: string, on: boolean) =>
      (await who.call('reaction:set', { roomId, messageId, emoji, on })).message.reactions;

    await react(carol, '🎉', true);
    await react(alice, '👍', true);
    await react(bob, '👍', true);
    expect(await react(carol, '👍', true)).toEqual([
      { emoji: '🎉', userIds: [carol.user.id] },
      { emoji: '👍', userIds: [alice.user.id, bob.user.id, carol.user.id] },
    ]);
    // Taking one reaction back keeps the emoji where it was while others still have it; reacting again puts me last.
    await react(alice, '👍', false);
    expect(await react(alice, '👍', true)).toEqual([
      { emoji: '🎉', userIds: [carol.user.id] },
      { emoji: '👍', userIds: [bob.user.id, carol.user.id, alice.user.id] },
    ]);
    // Distinct emoji that look alike stay apart: a skin tone is another emoji.
    expect(await react(bob, '👍🏽', true)).toEqual([
      { emoji: '🎉', userIds: [carol.user.id] },
      { emoji: '👍', userIds: [bob.user.id, carol.user.id, alice.user.id] },
      { emoji: '👍🏽', userIds: [bob.user.id] },
    ]);
  });

  it('answers a reaction already there, or one already gone, with the current message: no rev, nothing broadcast', async ({
    server,
    alice,
    bob,
  }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const original = await send(alice, roomId, 'steady');
    const reacted = (await bob.call('reaction:set', { roomId, messageId: original.id, emoji: '🔥', on: true })).message;
    const before = await settled(server, [alice, bob], 'message:updated', reacted);
    expect(await bob.call('reaction:set', { roomId, messageId: original.id, emoji: '🔥', on: true })).toEqual({ message: reacted });
    expect(await bob.call('reaction:set', { roomId, messageId: original.id, emoji: '🚀', on: false })).toEqual({ message: reacted });
    expect(await alice.call('reaction:set', { roomId, messageId: original.id, emoji: '🔥', on: false })).toEqual({ message: reacted });
    await expectUnchanged(before);
  });

  it('refuses what is not one emoji with INVALID', async ({ alice, bob }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const original = await send(alice, roomId, 'picky');
    const tooLong = `👍${'\u{FE0F}'.repeat(64)}`; // one grapheme cluster of 65 code points
    for (const emoji of ['a', ':)', '👍👍', '', ' ', '1', tooLong]) {
      expect(await bob.request('reaction:set', { roomId, messageId: original.id, emoji, on: true }), JSON.stringify(emoji)).toEqual(
        refused('INVALID'),
      );
    }
    expect(await current(alice, roomId, original.id)).toEqual(original);
    for (const emoji of ['🇫🇷', '👩‍💻', '👍🏽']) {
      await bob.call('reaction:set', { roomId, messageId: original.id, emoji, on: true });
    }
  });

  it('allows 20 distinct emoji on a message: a 21st is a CONFLICT, more people on one of the 20 are fine', async ({
    server,
    alice,
    bob,
  }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const original = await send(alice, roomId, 'so many feelings');
    for (const emoji of EMOJI.slice(0, 20)) await bob.call('reaction:set', { roomId, messageId: original.id, emoji, on: true });
    const full = await current(alice, roomId, original.id);
    expect(full.reactions.map((r) => r.emoji)).toEqual(EMOJI.slice(0, 20));
    const before = await settled(server, [alice, bob], 'message:updated', full);
    expect(await alice.request('reaction:set', { roomId, messageId: original.id, emoji: EMOJI[20]!, on: true })).toEqual(
      refused('CONFLICT'),
    );
    await expectUnchanged(before);

    const joined = (await alice.call('reaction:set', { roomId, messageId: original.id, emoji: EMOJI[0]!, on: true })).message;
    expect(joined.reactions[0]).toEqual({ emoji: EMOJI[0], userIds: [bob.user.id, alice.user.id] });
    // Room again once one is gone.
    await bob.call('reaction:set', { roomId, messageId: original.id, emoji: EMOJI[19]!, on: false });
    const last = (await alice.call('reaction:set', { roomId, messageId: original.id, emoji: EMOJI[20]!, on: true })).message;
    expect(last.reactions.map((r) => r.emoji)).toEqual([...EMOJI.slice(0, 19), EMOJI[20]]);
  });

  it('on a deleted message: adding is a CONFLICT, removing changes nothing', async ({ server, alice, bob }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const original = await send(alice, roomId, 'going');
    await bob.call('reaction:set', { roomId, messageId: original.id, emoji: '👋', on: true });
    const tombstone = (await alice.call('message:delete', { roomId, messageId: original.id })).message;
    expect(tombstone.reactions).toEqual([]);
    const before = await settled(server, [alice, bob], 'message:updated', tombstone);
    expect(await bob.request('reaction:set', { roomId, messageId: original.id, emoji: '👋', on: true })).toEqual(refused('CONFLICT'));
    expect(await bob.call('reaction:set', { roomId, messageId: original.id, emoji: '👋', on: false })).toEqual({ message: tombstone });
    await expectUnchanged(before);
  });

  it('refuses non-members as message:send does, and NOT_FOUND for an unknown message or one of another room', async ({
    alice,
    bob,
    carol,
  }) => {
    await expectRefusals(alice, bob, {
      outsider: async ({ roomId, message }) => [
        await carol.request('reaction:set', { roomId, messageId: message.id, emoji: '👍', on: true }),
        await carol.request('reaction:set', { roomId, messageId: message.id, emoji: '👍', on: false }),
      ],
      unknownMessage: async (roomId, messageId) => [await bob.request('reaction:set', { roomId, messageId, emoji: '👍', on: true })],
    });
  });
});
