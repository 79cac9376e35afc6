import { afterEach, describe, expect, it } from 'vitest';
import {
  connect,
  connected,
  disconnected,
  dropTransport,
  eventNames,
  register,
  startServer,
  startWithPeople,
  stopAll,
  uniqueName,
  type Client,
  type TestServer,
} from '../support/harness.js';

describe('removing a member from a private room', () => {
  let server: TestServer, alice: Client, bob: Client, carol: Client;
  const extra: Client[] = [];
  afterEach(async () => {
    for (const client of extra.splice(0)) client.close();
    await stopAll(server, alice, bob, carol);
  });

  async function privateRoomWithBob() {
    const { room } = await alice.call('room:create', { name: 'inner circle', visibility: 'private' });
    await alice.call('room:invite', { roomId: room.id, userId: bob.user.id });
    await bob.call('room:join', { roomId: room.id });
    return room;
  }

  it('takes every socket of the removed user out of the room at once and tells everyone', async () => {
    ({ server, alice, bob, carol } = await startWithPeople());
    const room = await privateRoomWithBob();
    const { room: lobby } = await alice.call('room:create', { name: 'lobby', visibility: 'public' });
    await bob.call('room:join', { roomId: lobby.id });
    const bobElsewhere = await connect(server.url, bob.person);
    extra.push(bobElsewhere);

    const left = [bob.next('room:left'), bobElsewhere.next('room:left')];
    const memberLeft = alice.next('room:member-left');
    expect(await alice.call('room:remove-member', { roomId: room.id, userId: bob.user.id })).toEqual({});
    for (const event of await Promise.all(left)) expect(event).toEqual({ roomId: room.id });
    expect(await memberLeft).toEqual({ roomId: room.id, userId: bob.user.id });

    // Nothing more of the room reaches any of bob's sockets; the lobby still does.
    await alice.call('message:send', { roomId: room.id, clientMsgId: 'after', text: 'bob cannot read this' });
    const markers = [
      bob.next('message:created', (m) => m.roomId === lobby.id),
      bobElsewhere.next('message:created', (m) => m.roomId === lobby.id),
    ];
    await alice.call('message:send', { roomId: lobby.id, clientMsgId: 'marker', text: 'in the lobby' });
    await Promise.all(markers);
    for (const client of [bob, bobElsewhere]) expect(client.received('message:created', (m) => m.roomId === room.id)).toEqual([]);

    // The room is invisible to bob again: as if it did not exist.
    const notFound = { ok: false, error: { code: 'NOT_FOUND', message: 'room not found' } };
    expect(await bob.request('message:send', { roomId: room.id, clientMsgId: 'retry', text: 'let me in' })).toEqual(notFound);
    expect(await bob.request('message:history', { roomId: room.id })).toEqual(notFound);
    expect(await bob.request('room:join', { roomId: room.id })).toEqual(notFound);
  });

  it('is for owners and admins, of private and public rooms alike (v2)', async () => {
    ({ server, alice, bob, carol } = await startWithPeople());
    const room = await privateRoomWithBob();
    await alice.call('room:invite', { roomId: room.id, userId: carol.user.id });
    await carol.call('room:join', { roomId: room.id });
    const { room: open } = await alice.call('room:create', { name: 'open', visibility: 'public' });
    await bob.call('room:join', { roomId: open.id });

    const codeOf = async (client: Client, roomId: string, userId: string) => {
      const ack = await client.request('room:remove-member', { roomId, userId });
      return ack.ok ? 'ok' : ack.error.code;
    };
    expect(await codeOf(bob, room.id, carol.user.id)).toBe('FORBIDDEN');
    expect(await codeOf(bob, open.id, alice.user.id)).toBe('FORBIDDEN');
    expect(await codeOf(alice, room.id, alice.user.id)).toBe('INVALID');
    expect(await codeOf(alice, room.id, 'u_nobody')).toBe('NOT_FOUND');
    // The refusals changed nothing: carol and bob are still in.
    expect((await carol.request('message:history', { roomId: room.id })).ok).toBe(true);
    expect((await bob.request('message:history', { roomId: room.id })).ok).toBe(true);
    // v2: the owner removes members of a public room too.
    const left = bob.next('room:left', (e) => e.roomId === open.id);
    expect(await codeOf(alice, open.id, bob.user.id)).toBe('ok');
    await left;
  });

  it('withdraws an invitation', async () => {
    ({ server, alice, bob, carol } = await startWithPeople());
    const room = await privateRoomWithBob();
    await alice.call('room:invite', { roomId: room.id, userId: carol.user.id });
    await alice.call('room:remove-member', { roomId: room.id, userId: carol.user.id });
    expect(await carol.request('room:join', { roomId: room.id })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'room not found' },
    });
  });

  it('reaches a socket that was away: connection state recovery gives it nothing more of the room', async () => {
    ({ server, alice, bob, carol } = await startWithPeople());
    const room = await privateRoomWithBob();
    const heard = bob.next('message:created');
    await alice.call('message:send', { roomId: room.id, clientMsgId: 'hello', text: 'hello bob' });
    await heard; // bob has an offset to resume from

    const packets = await dropTransport(server, bob);
    await alice.call('room:remove-member', { roomId: room.id, userId: bob.user.id });
    await alice.call('message:send', { roomId: room.id, clientMsgId: 'secret', text: 'after bob was removed' });
    bob.socket.connect();
    await connected(bob.socket);
    expect(bob.socket.recovered).toBe(false);
    expect(eventNames(packets)).not.toContain('message:created');
  });
});

describe('session expiry', () => {
  let server: TestServer;
  afterEach(() => server.close());

  it('disconnects every socket of a session when it expires, and a dropped one cannot come back', async () => {
    server = await startServer({ sessionTtlMs: 2_000 });
    const person = await register(server.url, uniqueName('brief'));
    const [first, second] = [await connect(server.url, person), await connect(server.url, person)];
    const { room } = await first.call('room:create', { name: 'brief', visibility: 'public' });
    const heard = second.next('room:member-joined');
    const other = await connect(server.url, await register(server.url, uniqueName('other')));
    await other.call('room:join', { roomId: room.id });
    await heard;

    const packets = await dropTransport(server, second);
    expect(await disconnected(first.socket)).toBe('io server disconnect');

    second.socket.connect();
    await expect(connected(second.socket)).rejects.toThrow('UNAUTHORIZED');
    expect(eventNames(packets)).toEqual([]);
    other.close();
  });
});
