import { messageSchema, roomListResultSchema, roomSchema, roomSummarySchema, userSchema, type Message } from '@parley/protocol';
import { describe, expect } from 'vitest';
import { api, Client, connected, connectSocket, register, uniqueName } from '../support/harness.js';
import { it } from '../support/people.js';
import { UNTOUCHED, dmOf, roomOf, send, summaryOf } from './conversation.support.js';

describe('v2 fields of rooms and users', () => {
  it('a new room has lastRev 0 and topic ""; its lastRev advances with each change, lastSeq with each message', async ({
    server,
    alice,
    bob,
  }) => {
    const { room } = await alice.call('room:create', { name: 'Revs', visibility: 'public' });
    expect(room).toEqual({ id: room.id, kind: 'public', name: 'Revs', memberCount: 1, lastSeq: 0, lastRev: 0, topic: '' });
    const roomId = room.id;
    await bob.call('room:join', { roomId });
    const state = async () => {
      const { lastSeq, lastRev } = await summaryOf(server, bob, roomId);
      return [lastSeq, lastRev];
    };

    const first = await send(alice, roomId, 'one');
    expect(await state()).toEqual([1, 1]);
    await alice.call('message:edit', { roomId, messageId: first.id, text: 'one!' });
    expect(await state()).toEqual([1, 2]);
    await bob.call('reaction:set', { roomId, messageId: first.id, emoji: '👍', on: true });
    expect(await state()).toEqual([1, 3]);
    const reply = await send(bob, roomId, 'a reply', first.id);
    expect(await state()).toEqual([2, 5]); // the reply, then its root
    await bob.call('message:delete', { roomId, messageId: reply.id });
    expect(await state()).toEqual([2, 7]); // the reply, then its root
    await bob.call('reaction:set', { roomId, messageId: first.id, emoji: '👍', on: false });
    expect(await state()).toEqual([2, 8]);
    expect((await alice.call('room:join', { roomId })).room).toMatchObject({ lastSeq: 2, lastRev: 8, topic: '' });
  });

  it('gives my role in each room: owner for its creator, member for who joined, null when not joined, member in DMs', async ({
    server,
    alice,
    bob,
    carol,
  }) => {
    const publicId = await roomOf(alice, 'public', [bob]);
    const privateId = await roomOf(alice, 'private', [bob]);
    await alice.call('room:invite', { roomId: privateId, userId: carol.user.id });
    const dmId = await dmOf(alice, bob);
    const common = { topic: '', mentions: 0, threadsUnread: 0, unread: 0, lastMessage: null };

    expect(await summaryOf(server, alice, publicId)).toMatchObject({ ...common, role: 'owner', joined: true, lastRev: 0 });
    expect(await summaryOf(server, bob, publicId)).toMatchObject({ ...common, role: 'member', joined: true });
    expect(await summaryOf(server, carol, publicId)).toMatchObject({ ...common, role: null, joined: false });
    expect(await summaryOf(server, alice, privateId)).toMatchObject({ ...common, role: 'owner' });
    expect(await summaryOf(server, bob, privateId)).toMatchObject({ ...common, role: 'member' });
    expect(await summaryOf(server, carol, privateId)).toMatchObject({ ...common, role: null, joined: false, invitedBy: alice.user });
    expect(await summaryOf(server, alice, dmId)).toMatchObject({ ...common, role: 'member', name: bob.user.username });
    expect(await summaryOf(server, bob, dmId)).toMatchObject({ ...common, role: 'member', name: alice.user.username });

    // room:joined carries the same summary; a member who left has no role.
    const joined = carol.next('room:joined', (e) => e.room.id === publicId);
    await carol.call('room:join', { roomId: publicId });
    expect(roomSummarySchema.parse((await joined).room)).toMatchObject({ role: 'member', mentions: 0, threadsUnread: 0, topic: '' });
    await carol.call('room:leave', { roomId: publicId });
    expect(await summaryOf(server, carol, publicId)).toMatchObject({ role: null, joined: false });

    const { status, body } = await api(server.url, alice.person.token)('/api/rooms');
    expect(status).toBe(200);
    expect(() => roomListResultSchema.parse(body)).not.toThrow();
  });

  it('gives every user displayName "" until they set one, wherever a user appears', async ({ server, alice, bob }) => {
    const person = await register(server.url, uniqueName('dn'));
    expect(person.user).toEqual({ id: person.user.id, username: person.user.username, displayName: '' });
    const http = api(server.url, person.token);
    expect((await http('/api/me')).body).toEqual({ user: person.user });
    expect((await http(`/api/users?q=${person.user.username}`)).body).toEqual({ users: [person.user] });

    const roomId = await roomOf(alice, 'public');
    const joined = alice.next('room:member-joined', (e) => e.roomId === roomId);
    await bob.call('room:join', { roomId });
    expect((await joined).user).toEqual({ id: bob.user.id, username: bob.user.username, displayName: '' });
    expect((await send(bob, roomId, 'hi')).author).toEqual(bob.user);
    expect((await summaryOf(server, alice, roomId)).lastMessage?.author).toEqual(bob.user);
  });
});

describe('v1 clients', () => {
  it('that send none of the v2 fields still send, read history and get the v2 shapes', async ({ server, alice }) => {
    const person = await register(server.url, uniqueName('bot'));
    // A v1 client: no protocol in its handshake, and v1 payloads only.
    const bot = new Client(connectSocket(server.url, { auth: { token: person.token } }), person);
    await connected(bot.socket);
    try {
      const roomId = await roomOf(alice, 'public', [bot]);
      const { message } = await bot.call('message:send', { roomId, clientMsgId: 'v1-1', text: 'beep' });
      expect(messageSchema.parse(message)).toEqual({
        id: message.id,
        roomId,
        seq: 1,
        author: person.user,
        text: 'beep',
        clientMsgId: 'v1-1',
        createdAt: message.createdAt,
        rev: 1,
        ...UNTOUCHED,
      });
      // A v2 client's changes reach it as message:updated, in the same strict shape.
      const edited = bot.next('message:updated');
      await alice.call('reaction:set', { roomId, messageId: message.id, emoji: '🤖', on: true });
      expect(messageSchema.parse(await edited)).toEqual({ ...message, rev: 2, reactions: [{ emoji: '🤖', userIds: [alice.user.id] }] });

      const created = bot.next('message:created');
      const alices = await send(alice, roomId, 'hello bot');
      expect(messageSchema.parse(await created)).toEqual(alices);
      const history = (await bot.call('message:history', { roomId, after: 0 })).messages;
      expect(history.map((m: Message) => messageSchema.parse(m).text)).toEqual(['beep', 'hello bot']);
      const http = await api(server.url, person.token)(`/api/rooms/${roomId}/messages`);
      expect(http.body.messages).toEqual(history);
      expect(roomSchema.parse((await bot.call('room:join', { roomId })).room)).toMatchObject({ lastSeq: 2, lastRev: 3, topic: '' });
      expect(userSchema.parse(bot.user)).toEqual(person.user);
    } finally {
      bot.close();
    }
  });
});
