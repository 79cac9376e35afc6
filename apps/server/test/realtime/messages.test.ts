import type { Message } from '@parley/protocol';
import { describe, expect } from 'vitest';
import { api, connect, join, type Client, type TestServer } from '../support/harness.js';
import { fileTest as it } from '../support/people.js';
import { ISO_TIME, UNTOUCHED } from './conversation.support.js';

async function sharedRoom(owner: Client, name: string, members: Client[]) {
  const { room } = await owner.call('room:create', { name, visibility: 'public' });
  for (const m of members) await m.call('room:join', { roomId: room.id });
  return room;
}

describe('message:send', () => {
  it('stores the message and delivers it to every socket of every member, the sender included', async ({ server, alice, bob, carol }) => {
    const room = await sharedRoom(alice, 'delivery', [bob, carol]);
    const aliceSecondDevice = await connect(server.url, alice.person);
    const { message } = await alice.call('message:send', { roomId: room.id, clientMsgId: 'c-1', text: 'hello' });
    expect(message).toEqual({
      id: expect.stringMatching(/^m_/),
      roomId: room.id,
      seq: 1,
      author: alice.user,
      text: 'hello',
      clientMsgId: 'c-1',
      createdAt: expect.stringMatching(ISO_TIME),
      rev: 1,
      ...UNTOUCHED,
    });
    for (const client of [alice, aliceSecondDevice, bob, carol]) {
      expect(await client.waitFor('message:created', (m) => m.id === message.id)).toEqual(message);
    }
    aliceSecondDevice.close();
  });

  it('is idempotent: the same clientMsgId returns the original, stores and broadcasts nothing new', async ({ alice, bob, carol }) => {
    const room = await sharedRoom(alice, 'idempotent', [bob, carol]);
    const first = await alice.call('message:send', { roomId: room.id, clientMsgId: 'retry-me', text: 'first' });
    const again = await alice.call('message:send', { roomId: room.id, clientMsgId: 'retry-me', text: 'changed text' });
    expect(again.message).toEqual(first.message);

    const marker = await alice.call('message:send', { roomId: room.id, clientMsgId: 'marker', text: 'marker' });
    await bob.waitFor('message:created', (m) => m.id === marker.message.id);
    expect(bob.received('message:created', (m) => m.roomId === room.id).map((m) => m.seq)).toEqual([1, 2]);
    const history = await alice.call('message:history', { roomId: room.id });
    expect(history.messages.map((m) => m.text)).toEqual(['first', 'marker']);

    // The same clientMsgId from another user is another message.
    const bobs = await bob.call('message:send', { roomId: room.id, clientMsgId: 'retry-me', text: 'bob too' });
    expect(bobs.message.seq).toBe(3);
  });

  it('gives 4 concurrent senders gapless seqs 1..N, seen in the same order by every member', async ({ server, alice, bob, carol }) => {
    const dave = await join(server.url, 'dave');
    const room = await sharedRoom(alice, 'concurrent', [bob, carol, dave]);
    const senders = [alice, bob, carol, dave];
    const perSender = 25;
    const total = senders.length * perSender;
    const acks = await Promise.all(
      senders.flatMap((s) =>
        Array.from({ length: perSender }, (_, i) =>
          s.call('message:send', { roomId: room.id, clientMsgId: `${s.user.username}-${i}`, text: `${s.user.username} ${i}` }),
        ),
      ),
    );
    expect(acks.map((a) => a.message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));

    const expected = acks.map((a) => a.message).sort((a, b) => a.seq - b.seq);
    for (const client of senders) {
      await client.waitFor('message:created', (m) => m.roomId === room.id && m.seq === total);
      const seen = client.received('message:created', (m) => m.roomId === room.id);
      expect(seen).toEqual(expected);
    }
    // One sender's messages keep the order they were sent in.
    const alices = expected.filter((m) => m.author.id === alice.user.id).map((m) => m.clientMsgId);
    expect(alices).toEqual(Array.from({ length: perSender }, (_, i) => `${alice.user.username}-${i}`));
    dave.close();
  });

  it('refuses a non-member: FORBIDDEN in a public room', async ({ alice, carol }) => {
    const { room } = await alice.call('room:create', { name: 'members-only', visibility: 'public' });
    const ack = await carol.request('message:send', { roomId: room.id, clientMsgId: 'x', text: 'hi' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await carol.request('room:read', { roomId: room.id, seq: 0 })).ok).toBe(false);
    expect((await carol.request('typing:set', { roomId: room.id, typing: true })).ok).toBe(false);
    expect((await alice.call('message:history', { roomId: room.id })).messages).toEqual([]);
  });
});

describe('history', () => {
  let roomId: string;
  let sent: Message[];

  it.beforeAll(async ({ alice, bob }) => {
    roomId = (await sharedRoom(alice, 'history', [bob])).id;
    sent = [];
    for (let i = 1; i <= 30; i++) {
      sent.push((await alice.call('message:send', { roomId, clientMsgId: `h${i}`, text: `message ${i}` })).message);
    }
  });

  const seqs = (messages: Message[]) => messages.map((m) => m.seq);

  it('pages newest, before and after over the socket, ascending', async ({ bob }) => {
    expect(seqs((await bob.call('message:history', { roomId, limit: 5 })).messages)).toEqual([26, 27, 28, 29, 30]);
    expect(seqs((await bob.call('message:history', { roomId, before: 26, limit: 5 })).messages)).toEqual([21, 22, 23, 24, 25]);
    expect(seqs((await bob.call('message:history', { roomId, after: 27 })).messages)).toEqual([28, 29, 30]);
    expect((await bob.call('message:history', { roomId })).messages).toHaveLength(30);
    expect((await bob.call('message:history', { roomId, after: 0, limit: 2 })).messages).toEqual(sent.slice(0, 2));
  });

  it('walks the whole history backwards with no gap or duplicate', async ({ bob }) => {
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = (await bob.call('message:history', before === undefined ? { roomId, limit: 7 } : { roomId, before, limit: 7 })).messages;
      if (page.length === 0) break;
      seen.unshift(...seqs(page));
      before = page[0]!.seq;
    }
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('serves the same pages over HTTP, and public rooms to non-members', async ({ server, carol }) => {
    const http = await api(server.url, carol.person.token)(`/api/rooms/${roomId}/messages?before=11&limit=3`);
    expect(http.status).toBe(200);
    expect(http.body.messages).toEqual(sent.slice(7, 10));
    const socket = await carol.call('message:history', { roomId, before: 11, limit: 3 });
    expect(socket.messages).toEqual(http.body.messages);
  });

  it('refuses bad paging with INVALID', async ({ bob }) => {
    for (const payload of [
      { roomId, limit: 0 },
      { roomId, limit: 101 },
      { roomId, before: 5, after: 1 },
      { roomId, before: -1 },
      { roomId, after: 1.5 },
    ]) {
      expect(await bob.request('message:history', payload)).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    }
  });
});

describe('unread counts', () => {
  const unreadReader = (server: TestServer) => async (client: Client, roomId: string) => {
    const { body } = await api(server.url, client.person.token)('/api/rooms');
    return body.rooms.find((r: { id: string }) => r.id === roomId) as { unread: number; lastSeq: number; joined: boolean };
  };

  it('counts messages past my read marker; room:read only moves it forward', async ({ server, alice, bob, carol }) => {
    const unreadOf = unreadReader(server);
    const room = await sharedRoom(alice, 'unread', [bob]);
    for (let i = 0; i < 5; i++) await alice.call('message:send', { roomId: room.id, clientMsgId: `u${i}`, text: `u${i}` });
    expect(await unreadOf(bob, room.id)).toMatchObject({ unread: 5, lastSeq: 5, joined: true });
    expect(await unreadOf(alice, room.id)).toMatchObject({ unread: 0 });
    expect(await unreadOf(carol, room.id)).toMatchObject({ unread: 0, joined: false });

    expect(await bob.call('room:read', { roomId: room.id, seq: 3 })).toEqual({});
    expect((await unreadOf(bob, room.id)).unread).toBe(2);
    await bob.call('room:read', { roomId: room.id, seq: 1 });
    expect((await unreadOf(bob, room.id)).unread).toBe(2);
    await bob.call('room:read', { roomId: room.id, seq: 500 });
    expect((await unreadOf(bob, room.id)).unread).toBe(0);
    await alice.call('message:send', { roomId: room.id, clientMsgId: 'u-late', text: 'one more' });
    expect((await unreadOf(bob, room.id)).unread).toBe(1);
  });

  it('does not count history from before I joined', async ({ alice, bob }) => {
    const { room } = await alice.call('room:create', { name: 'late-joiner', visibility: 'public' });
    await alice.call('message:send', { roomId: room.id, clientMsgId: 'old', text: 'old news' });
    const joined = bob.next('room:joined', (p) => p.room.id === room.id);
    await bob.call('room:join', { roomId: room.id });
    expect((await joined).room).toMatchObject({ lastSeq: 1, unread: 0 });
  });
});
