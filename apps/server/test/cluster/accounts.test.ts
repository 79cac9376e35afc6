import { dmRoomId } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { useTwoNodes } from '../support/cluster.js';
import { api, connect, disconnected, type Client, type Person } from '../support/harness.js';
import type { ServerProcess } from '../support/process.js';

/**
 * Accounts and group DMs (issue 16) across two real nodes on PostgreSQL and Redis: what one node
 * changes reaches the sockets on the other.
 */
const { nodes, person, track } = useTwoNodes('accounts');
const PASSWORD = 'correct horse';

/** Another session of the same person (a second login), connected to `node`. */
async function anotherSession(who: Client, node: ServerProcess): Promise<Client> {
  const res = await api(node.url)('/api/auth/login', {
    method: 'POST',
    body: JSON.stringify({ username: who.user.username, password: PASSWORD }),
  });
  return track(await connect(node.url, res.body as Person));
}

describe('accounts across two nodes', () => {
  it('a display name set on one node reaches roommates and my sockets on the other, my next messages and my typing there', async ({
    skip,
  }) => {
    if (nodes.length < 2) return skip('PostgreSQL or Redis is not reachable');
    const [a, b] = [nodes[0]!, nodes[1]!];
    const alice = await person('alice', a);
    const bob = await person('bob', b);
    const aliceOnB = await connect(b.url, alice.person);
    track(aliceOnB);
    const { room } = await alice.call('room:create', { name: 'names', visibility: 'public' });
    await bob.call('room:join', { roomId: room.id });

    const user = { ...alice.user, displayName: 'Alice Across' };
    const heard = [bob, aliceOnB].map((c) => c.next('user:updated', (e) => e.user.id === alice.user.id));
    const res = await api(a.url, alice.person.token)('/api/me', { method: 'PATCH', body: JSON.stringify({ displayName: 'Alice Across' }) });
    expect(res.body).toEqual({ user });
    for (const payload of await Promise.all(heard)) expect(payload).toEqual({ user });

    // Node B updated its copy of alice before its sockets heard the change.
    const created = bob.next('message:created', (m) => m.clientMsgId === 'named');
    const { message } = await aliceOnB.call('message:send', { roomId: room.id, clientMsgId: 'named', text: 'hi' });
    expect(message.author).toEqual(user);
    expect((await created).author).toEqual(user);
    // ...and her typing there names her by it.
    const typing = bob.next('typing:changed', (e) => e.userId === alice.user.id && e.typing);
    await aliceOnB.call('typing:set', { roomId: room.id, typing: true });
    expect((await typing).displayName).toBe('Alice Across');
  });

  it("a password change on one node ends my other sessions' sockets on the other; this one stays", async ({ skip }) => {
    if (nodes.length < 2) return skip('PostgreSQL or Redis is not reachable');
    const [a, b] = [nodes[0]!, nodes[1]!];
    const alice = await person('alice', a);
    const otherOnB = await anotherSession(alice, b);
    const ended = disconnected(otherOnB.socket);
    const res = await api(a.url, alice.person.token)('/api/me/password', {
      method: 'POST',
      body: JSON.stringify({ currentPassword: PASSWORD, newPassword: 'battery staple' }),
    });
    expect(res.status).toBe(204);
    expect(await ended).toBe('io server disconnect');
    expect((await api(b.url, otherOnB.person.token)('/api/me')).status).toBe(401);
    expect(alice.socket.connected).toBe(true);
    expect((await api(b.url, alice.person.token)('/api/me')).status).toBe(200);
  });

  it('deleting an account on one node disconnects its sockets on the other, and its rooms hear it left', async ({ skip }) => {
    if (nodes.length < 2) return skip('PostgreSQL or Redis is not reachable');
    const [a, b] = [nodes[0]!, nodes[1]!];
    const carol = await person('carol', b);
    const bob = await person('bob', b);
    const { room } = await bob.call('room:create', { name: 'farewell', visibility: 'public' });
    await carol.call('room:join', { roomId: room.id });
    await carol.call('message:send', { roomId: room.id, clientMsgId: 'bye', text: 'bye' });
    const ended = disconnected(carol.socket);
    const left = bob.next('room:member-left', (e) => e.roomId === room.id && e.userId === carol.user.id);
    const res = await api(a.url, carol.person.token)('/api/me', { method: 'DELETE', body: JSON.stringify({ password: PASSWORD }) });
    expect(res.status).toBe(204);
    expect(await ended).toBe('io server disconnect');
    await left;
    const { messages } = await bob.call('message:history', { roomId: room.id });
    expect(messages.at(-1)?.author).toEqual({ id: carol.user.id, username: 'deleted', displayName: 'Deleted user' });
  });
});

describe('group DMs across two nodes', () => {
  it('tells every member on either node; opened at once from both nodes it is one room', async ({ skip }) => {
    if (nodes.length < 2) return skip('PostgreSQL or Redis is not reachable');
    const [a, b] = [nodes[0]!, nodes[1]!];
    const alice = await person('alice', a);
    const bob = await person('bob', b);
    const carol = await person('carol', b);
    const id = dmRoomId(alice.user.id, bob.user.id, carol.user.id);
    const joined = [alice, bob, carol].map((c) => c.next('room:joined', (e) => e.room.id === id));
    const opened = await Promise.all([
      alice.request('dm:open', { userIds: [bob.user.id, carol.user.id] }),
      bob.request('dm:open', { userIds: [carol.user.id, alice.user.id] }),
      carol.request('dm:open', { userIds: [alice.user.id, bob.user.id] }),
    ]);
    for (const ack of opened) expect(ack).toMatchObject({ ok: true, data: { room: { id, memberCount: 3 } } });
    await Promise.all(joined);

    const heard = [alice, bob, carol].map((c) => c.next('message:created', (m) => m.clientMsgId === 'g1'));
    await alice.call('message:send', { roomId: id, clientMsgId: 'g1', text: 'across nodes' });
    for (const message of await Promise.all(heard)) expect(message.roomId).toBe(id);
  });
});
