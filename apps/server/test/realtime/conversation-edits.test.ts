import { describe, expect } from 'vitest';
import { connect } from '../support/harness.js';
import { it } from '../support/people.js';
import { ISO_TIME, current, expectRefusals, expectUnchanged, refused, roomOf, send, settled, summaryOf } from './conversation.support.js';

describe('message:edit', () => {
  it('replaces the text with the next rev and tells every member socket, the sender’s own included', async ({
    server,
    alice,
    bob,
    carol,
  }) => {
    const roomId = await roomOf(alice, 'public', [bob, carol]);
    const aliceElsewhere = await connect(server.url, alice.person);
    try {
      const first = await send(alice, roomId, 'helo');
      const second = await send(bob, roomId, 'hi');
      expect([first.rev, second.rev]).toEqual([1, 2]);

      const { message } = await alice.call('message:edit', { roomId, messageId: first.id, text: 'hello' });
      expect(message).toEqual({ ...first, text: 'hello', rev: 3, editedAt: expect.stringMatching(ISO_TIME) });
      expect(Date.parse(message.editedAt!)).toBeGreaterThanOrEqual(Date.parse(first.createdAt));
      for (const client of [alice, aliceElsewhere, bob, carol]) {
        expect(await client.waitFor('message:updated', (m) => m.id === first.id)).toEqual(message);
      }
      expect(await current(bob, roomId, first.id)).toEqual(message);
      expect(await summaryOf(server, bob, roomId)).toMatchObject({ lastSeq: 2, lastRev: 3 });
    } finally {
      aliceElsewhere.close();
    }
  });

  it('keeps every earlier text: message:versions, oldest first and the current text last, for any member', async ({ alice, bob }) => {
    const roomId = await roomOf(alice, 'private', [bob]);
    const original = await send(alice, roomId, 'one');
    expect(await bob.call('message:versions', { roomId, messageId: original.id })).toEqual({
      versions: [{ text: 'one', editedAt: original.createdAt }],
    });
    const two = (await alice.call('message:edit', { roomId, messageId: original.id, text: 'two' })).message;
    const three = (await alice.call('message:edit', { roomId, messageId: original.id, text: 'three' })).message;
    expect(three.rev).toBe(two.rev + 1);
    const versions = [
      { text: 'one', editedAt: original.createdAt },
      { text: 'two', editedAt: two.editedAt },
      { text: 'three', editedAt: three.editedAt },
    ];
    expect(await bob.call('message:versions', { roomId, messageId: original.id })).toEqual({ versions });
    expect(await alice.call('message:versions', { roomId, messageId: original.id })).toEqual({ versions });
  });

  it('answers the same text again with the current message: no rev taken, nothing broadcast, no version kept', async ({
    server,
    alice,
    bob,
  }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const original = await send(alice, roomId, 'same');
    const edited = (await alice.call('message:edit', { roomId, messageId: original.id, text: 'changed' })).message;
    const before = await settled(server, [alice, bob], 'message:updated', edited);
    expect(await alice.call('message:edit', { roomId, messageId: original.id, text: 'changed' })).toEqual({ message: edited });
    expect((await bob.call('message:versions', { roomId, messageId: original.id })).versions.map((v) => v.text)).toEqual([
      'same',
      'changed',
    ]);
    await expectUnchanged(before);
  });

  it('lets the author only: another member gets FORBIDDEN and nothing changes', async ({ server, alice, bob, carol }) => {
    const roomId = await roomOf(alice, 'public', [bob, carol]);
    const mine = await send(bob, roomId, 'bob wrote this');
    const before = await settled(server, [bob, carol], 'message:created', mine);
    // Not even the room's owner edits someone else's words.
    expect(await alice.request('message:edit', { roomId, messageId: mine.id, text: 'alice wrote this' })).toEqual(refused('FORBIDDEN'));
    expect(await carol.request('message:edit', { roomId, messageId: mine.id, text: 'carol wrote this' })).toEqual(refused('FORBIDDEN'));
    await expectUnchanged(before);
  });

  it('refuses non-members exactly as message:send does: FORBIDDEN in a public room, NOT_FOUND in a private room or a DM', async ({
    alice,
    bob,
    carol,
  }) => {
    await expectRefusals(alice, bob, {
      outsider: async ({ roomId, message, kind }) => [
        await carol.request('message:send', { roomId, clientMsgId: `outsider-${kind}`, text: 'let me in' }),
        await carol.request('message:edit', { roomId, messageId: message.id, text: 'mine now' }),
        await carol.request('message:versions', { roomId, messageId: message.id }),
      ],
    });
  });

  it('refuses an unknown message id and a message of another room with NOT_FOUND', async ({ alice, bob }) => {
    await expectRefusals(alice, bob, {
      unknownMessage: async (roomId, messageId) => [
        await alice.request('message:edit', { roomId, messageId, text: 'edit' }),
        await bob.request('message:versions', { roomId, messageId }),
      ],
    });
  });

  it('refuses a deleted message with CONFLICT and leaves the tombstone as it is', async ({ server, alice, bob }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const original = await send(alice, roomId, 'soon gone');
    const tombstone = (await alice.call('message:delete', { roomId, messageId: original.id })).message;
    const before = await settled(server, [alice, bob], 'message:updated', tombstone);
    expect(await alice.request('message:edit', { roomId, messageId: original.id, text: 'back again' })).toEqual(refused('CONFLICT'));
    await expectUnchanged(before);
  });

  it('refuses invalid text with INVALID and changes nothing; 4000 code points are fine', async ({ server, alice, bob }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const original = await send(alice, roomId, 'valid');
    const before = await settled(server, [alice, bob], 'message:created', original);
    for (const text of ['', '   ', '\n\t ', '\u200b', 'x'.repeat(4001), '😀'.repeat(4001)]) {
      expect(await alice.request('message:edit', { roomId, messageId: original.id, text })).toEqual(refused('INVALID'));
    }
    expect((await bob.call('message:versions', { roomId, messageId: original.id })).versions).toEqual([
      { text: 'valid', editedAt: original.createdAt },
    ]);
    await expectUnchanged(before);

    // 4000 code points that are 8000 UTF-16 units: the limit counts code points.
    const longest = '😀'.repeat(4000);
    const { message } = await alice.call('message:edit', { roomId, messageId: original.id, text: longest });
    expect(message.text).toBe(longest);
  });
});
