import type { Message } from '@parley/protocol';
import { describe, expect } from 'vitest';
import { api } from '../support/harness.js';
import { it } from '../support/people.js';
import { current, dmOf, expectRefusals, expectUnchanged, refused, roomOf, send, settled, summaryOf } from './conversation.support.js';

/** The tombstone of a message: what stays is who wrote it, where and when, and its latest rev. */
const tombstoneOf = (message: Message, rev: number): Message => ({
  ...message,
  text: '',
  deleted: true,
  editedAt: null,
  reactions: [],
  mentions: [],
  files: [],
  rev,
});

describe('message:delete', () => {
  it('turns the author’s message into a tombstone with the next rev and tells every member socket', async ({
    server,
    alice,
    bob,
    carol,
  }) => {
    const roomId = await roomOf(alice, 'public', [bob, carol]);
    const original = await send(bob, roomId, 'regrettable');
    await bob.call('message:edit', { roomId, messageId: original.id, text: 'more regrettable' });
    const reacted = (await alice.call('reaction:set', { roomId, messageId: original.id, emoji: '😬', on: true })).message;
    expect(reacted).toMatchObject({ editedAt: expect.any(String), reactions: [{ emoji: '😬', userIds: [alice.user.id] }], rev: 3 });

    const { message } = await bob.call('message:delete', { roomId, messageId: original.id });
    expect(message).toEqual(tombstoneOf(original, 4));
    for (const client of [alice, bob, carol]) {
      expect(await client.waitFor('message:updated', (m) => m.id === original.id && m.deleted)).toEqual(message);
    }
    expect(await current(carol, roomId, original.id)).toEqual(message);
    expect(await summaryOf(server, carol, roomId)).toMatchObject({ lastSeq: 1, lastRev: 4 });
  });

  it('lets the room’s owner delete anyone’s message, and refuses another plain member with FORBIDDEN', async ({
    server,
    alice,
    bob,
    carol,
  }) => {
    for (const visibility of ['public', 'private'] as const) {
      const roomId = await roomOf(alice, visibility, [bob, carol]);
      const bobs = await send(bob, roomId, 'by bob');
      const before = await settled(server, [bob, carol], 'message:created', bobs);
      expect(await carol.request('message:delete', { roomId, messageId: bobs.id })).toEqual(refused('FORBIDDEN'));
      await expectUnchanged(before);

      const { message } = await alice.call('message:delete', { roomId, messageId: bobs.id });
      expect(message).toEqual(tombstoneOf(bobs, bobs.rev + 2)); // after the marker's rev
      expect(await bob.waitFor('message:updated', (m) => m.id === bobs.id)).toEqual(message);
      expect((await summaryOf(server, bob, roomId)).lastRev).toBe(message.rev);
    }
  });

  it('gives nobody in a DM another’s message to delete: FORBIDDEN', async ({ alice, bob }) => {
    const roomId = await dmOf(alice, bob);
    const alices = await send(alice, roomId, 'mine to keep');
    expect(await bob.request('message:delete', { roomId, messageId: alices.id })).toEqual(refused('FORBIDDEN'));
    expect(await current(bob, roomId, alices.id)).toEqual(alices);
    const { message } = await alice.call('message:delete', { roomId, messageId: alices.id });
    expect(message).toEqual(tombstoneOf(alices, alices.rev + 1));
  });

  it('answers a delete of a deleted message with the tombstone: no rev taken, nothing broadcast', async ({ server, alice, bob }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const bobs = await send(bob, roomId, 'twice deleted');
    const tombstone = (await bob.call('message:delete', { roomId, messageId: bobs.id })).message;
    const before = await settled(server, [alice, bob], 'message:updated', tombstone);
    expect(await bob.call('message:delete', { roomId, messageId: bobs.id })).toEqual({ message: tombstone });
    expect(await alice.call('message:delete', { roomId, messageId: bobs.id })).toEqual({ message: tombstone });
    await expectUnchanged(before);
  });

  it('refuses non-members as message:send does, and NOT_FOUND for an unknown message or one of another room', async ({
    alice,
    bob,
    carol,
  }) => {
    await expectRefusals(alice, bob, {
      outsider: async ({ roomId, message }) => [await carol.request('message:delete', { roomId, messageId: message.id })],
      unknownMessage: async (roomId, messageId) => [await alice.request('message:delete', { roomId, messageId })],
    });
  });
});

describe('after a delete', () => {
  it('no route returns the old text, versions or reactions, to anyone', async ({ server, alice, bob, carol }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const root = await send(bob, roomId, 'SECRET root, first draft');
    await bob.call('message:edit', { roomId, messageId: root.id, text: 'SECRET root, second draft' });
    await alice.call('reaction:set', { roomId, messageId: root.id, emoji: '🦄', on: true });
    const topic = await send(alice, roomId, 'a thread');
    const reply = await send(bob, roomId, 'SECRET reply', topic.id);
    await bob.call('message:edit', { roomId, messageId: reply.id, text: 'SECRET reply, edited' });
    await alice.call('reaction:set', { roomId, messageId: reply.id, emoji: '🦄', on: true });

    const deletedRoot = (await bob.call('message:delete', { roomId, messageId: root.id })).message; // the author
    const deletedReply = (await alice.call('message:delete', { roomId, messageId: reply.id })).message; // the owner
    expect(deletedRoot).toEqual(tombstoneOf(root, deletedRoot.rev));
    expect(deletedReply).toEqual(tombstoneOf(reply, deletedReply.rev));

    const bobHttp = api(server.url, bob.person.token);
    const carolHttp = api(server.url, carol.person.token);
    const joinedEvent = carol.next('room:joined', (e) => e.room.id === roomId);
    const answers: Record<string, unknown> = {
      socketHistory: await bob.call('message:history', { roomId }),
      socketTopLevel: await bob.call('message:history', { roomId, topLevel: true }),
      socketThread: await bob.call('message:history', { roomId, threadRootId: topic.id }),
      socketThreadAfter: await bob.call('message:history', { roomId, threadRootId: topic.id, after: 0 }),
      httpHistory: (await bobHttp(`/api/rooms/${roomId}/messages`)).body,
      httpTopLevel: (await bobHttp(`/api/rooms/${roomId}/messages?topLevel=true`)).body,
      httpThread: (await bobHttp(`/api/rooms/${roomId}/messages?threadRootId=${topic.id}`)).body,
      outsiderHttpHistory: (await carolHttp(`/api/rooms/${roomId}/messages`)).body,
      changes: await bob.call('message:changes', { roomId, afterRev: 0 }),
      outsiderChanges: await carol.call('message:changes', { roomId, afterRev: 0 }),
      rootVersions: await bob.call('message:versions', { roomId, messageId: root.id }),
      replyVersions: await alice.call('message:versions', { roomId, messageId: reply.id }),
      roomListBob: (await bobHttp('/api/rooms')).body,
      roomListCarol: (await carolHttp('/api/rooms')).body,
      // The retries an outbox makes: a resend with the same clientMsgId, a reaction taken back, the delete again.
      resendRoot: await bob.call('message:send', { roomId, clientMsgId: root.clientMsgId, text: 'SECRET root, first draft' }),
      resendReply: await bob.call('message:send', { roomId, clientMsgId: reply.clientMsgId, text: 'x', threadRootId: topic.id }),
      unreact: await alice.call('reaction:set', { roomId, messageId: root.id, emoji: '🦄', on: false }),
      deleteAgain: await bob.call('message:delete', { roomId, messageId: reply.id }),
      join: await carol.call('room:join', { roomId }),
      joinedEvent: await joinedEvent,
    };
    const everything = JSON.stringify(answers);
    expect(everything).not.toContain('SECRET');
    expect(everything).not.toContain('🦄');

    expect(answers.rootVersions).toEqual({ versions: [] });
    expect(answers.replyVersions).toEqual({ versions: [] });
    expect(answers.resendRoot).toEqual({ message: deletedRoot });
    expect(answers.unreact).toEqual({ message: deletedRoot });
    expect(answers.deleteAgain).toEqual({ message: deletedReply });
    const history = (answers.socketHistory as { messages: Message[] }).messages;
    expect(history.map((m) => m.id)).toEqual([root.id, topic.id, reply.id]);
    expect(history[0]).toEqual(deletedRoot);
    expect(history[2]).toEqual(deletedReply);
  });
});
