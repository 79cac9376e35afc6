import { dmRoomId, type Room } from '@parley/protocol';
import { describe, expect } from 'vitest';
import { api, connect, join, type Client } from '../support/harness.js';
import { it } from '../support/people.js';

/** Group DMs (CONTRACT.md v2): 3 to 9 people, one room per set of people, its members fixed. */
const names = (...people: Client[]) =>
  people
    .map((p) => p.user.username)
    .sort((a, b) => a.localeCompare(b, 'en'))
    .join(', ');

describe('group DMs', () => {
  it('opens the sorted-ids room of three, tells every socket of every member, and names it per viewer', async ({
    server,
    alice,
    bob,
    carol,
  }) => {
    const aliceElsewhere = await connect(server.url, alice.person);
    try {
      const id = dmRoomId(alice.user.id, bob.user.id, carol.user.id);
      expect(id).toBe(`dm:${[alice.user.id, bob.user.id, carol.user.id].sort().join(':')}`);
      const joined = [alice, aliceElsewhere, bob, carol].map((c) => c.next('room:joined', (e) => e.room.id === id));
      const { room } = await alice.call('dm:open', { userIds: [carol.user.id, bob.user.id] });
      expect(room).toEqual({ id, kind: 'dm', name: names(bob, carol), memberCount: 3, lastSeq: 0, lastRev: 0, topic: '' });
      const [forAlice, forAliceElsewhere, forBob, forCarol] = (await Promise.all(joined)).map((e) => e.room);
      expect(forAlice).toMatchObject({ name: names(bob, carol), joined: true, role: 'member' });
      expect(forAliceElsewhere).toEqual(forAlice);
      expect(forBob).toMatchObject({ name: names(alice, carol), joined: true, role: 'member' });
      expect(forCarol).toMatchObject({ name: names(alice, bob), joined: true, role: 'member' });

      // The same set in any order, repeats and the opener included, is the same room; nothing new is made.
      expect((await bob.call('dm:open', { userIds: [carol.user.id, alice.user.id, carol.user.id] })).room).toMatchObject({
        id,
        name: names(alice, carol),
        memberCount: 3,
      });
      expect((await carol.call('dm:open', { userIds: [bob.user.id, alice.user.id, carol.user.id] })).room.id).toBe(id);
      // A pair of them is another conversation.
      expect((await carol.call('dm:open', { userId: bob.user.id })).room.id).toBe(dmRoomId(bob.user.id, carol.user.id));

      const heard = [alice, aliceElsewhere, bob, carol].map((c) => c.next('message:created', (m) => m.clientMsgId === 'g1'));
      await bob.call('message:send', { roomId: id, clientMsgId: 'g1', text: 'hello all' });
      for (const message of await Promise.all(heard)) expect(message.text).toBe('hello all');
    } finally {
      aliceElsewhere.close();
    }
  });

  it('is one room when all three open it at the same moment', async ({ server, alice, bob, carol }) => {
    const everyone = [alice, bob, carol];
    const opened = await Promise.all(
      everyone.map((me) => me.request('dm:open', { userIds: everyone.filter((c) => c !== me).map((c) => c.user.id) })),
    );
    const id = dmRoomId(...everyone.map((c) => c.user.id));
    for (const ack of opened) expect(ack).toMatchObject({ ok: true, data: { room: { id, memberCount: 3 } } });
    expect((await server.storage.rooms.findById(id))?.memberCount).toBe(3);
  });

  it('names the room with display names where they are set', async ({ server, alice, bob, carol }) => {
    await api(server.url, bob.person.token)('/api/me', { method: 'PATCH', body: JSON.stringify({ displayName: 'Zed Bob' }) });
    await api(server.url, carol.person.token)('/api/me', { method: 'PATCH', body: JSON.stringify({ displayName: 'Anna Carol' }) });
    const { room } = await alice.call('dm:open', { userIds: [bob.user.id, carol.user.id] });
    expect(room.name).toBe('Anna Carol, Zed Bob');
    const list = (await api(server.url, bob.person.token)('/api/rooms')).body.rooms as Room[];
    expect(list.find((r) => r.id === room.id)?.name).toBe(names(alice) + ', Anna Carol');
  });

  it('takes up to nine people; ten, only myself, an unknown or a deleted user are refused and make nothing', async ({
    server,
    alice,
    bob,
    carol,
  }) => {
    const more = await Promise.all(Array.from({ length: 7 }, (_, i) => join(server.url, `gdm${i}_`)));
    try {
      const eight = [bob, carol, ...more.slice(0, 6)].map((c) => c.user.id);
      const { room } = await alice.call('dm:open', { userIds: eight });
      expect(room).toMatchObject({ id: dmRoomId(alice.user.id, ...eight), memberCount: 9 });
      expect(room.id.split(':')).toHaveLength(10);
      await Promise.all([bob, carol, ...more.slice(0, 6)].map((c) => c.waitFor('room:joined', (e) => e.room.id === room.id)));

      const nine = [...eight, more[6]!.user.id];
      const tooMany = await alice.request('dm:open', { userIds: nine });
      expect(tooMany).toMatchObject({ ok: false, error: { code: 'INVALID' } });
      expect(await server.storage.rooms.findById(dmRoomId(alice.user.id, ...nine))).toBeNull();

      for (const userIds of [[alice.user.id], [alice.user.id, alice.user.id], []]) {
        expect(await alice.request('dm:open', { userIds })).toMatchObject({ ok: false, error: { code: 'INVALID' } });
      }
      expect(await alice.request('dm:open', { userIds: [bob.user.id, 'u_nobody'] })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
      expect(await server.storage.rooms.findById(dmRoomId(alice.user.id, bob.user.id, 'u_nobody'))).toBeNull();

      const gone = more[6]!;
      const res = await api(server.url, gone.person.token)('/api/me', {
        method: 'DELETE',
        body: JSON.stringify({ password: 'correct horse' }),
      });
      expect(res.status).toBe(204);
      expect(await alice.request('dm:open', { userIds: [bob.user.id, gone.user.id] })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
      expect(await server.storage.rooms.findById(dmRoomId(alice.user.id, bob.user.id, gone.user.id))).toBeNull();
    } finally {
      for (const client of more) client.close();
    }
  });

  it('has fixed members: no invitations, outsiders see nothing; leaving works as in a DM of two', async ({ server, alice, bob, carol }) => {
    const dave = await join(server.url, 'dave');
    try {
      const { room } = await alice.call('dm:open', { userIds: [bob.user.id, carol.user.id] });
      expect(await alice.request('room:invite', { roomId: room.id, userId: dave.user.id })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(dave.received('room:invited')).toEqual([]);
      for (const request of [
        dave.request('room:join', { roomId: room.id }),
        dave.request('message:history', { roomId: room.id }),
        dave.request('message:send', { roomId: room.id, clientMsgId: 'x', text: 'let me in' }),
      ]) {
        expect(await request).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      }

      const heardLeft = [alice, bob].map((c) => c.next('room:member-left', (e) => e.roomId === room.id && e.userId === carol.user.id));
      const carolLeft = carol.next('room:left', (e) => e.roomId === room.id);
      await carol.call('room:leave', { roomId: room.id });
      await Promise.all([...heardLeft, carolLeft]);
      expect((await server.storage.rooms.findById(room.id))?.memberCount).toBe(2);
      expect(await carol.request('message:history', { roomId: room.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

      // Opening the same set again brings the one who left back, as a DM of two does.
      const back = carol.next('room:joined', (e) => e.room.id === room.id);
      expect((await bob.call('dm:open', { userIds: [alice.user.id, carol.user.id] })).room.memberCount).toBe(3);
      expect((await back).room).toMatchObject({ name: names(alice, bob), joined: true });
    } finally {
      dave.close();
    }
  });
});
