import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { useTwoNodes } from '../support/cluster.js';
import { api, connect, disconnected, register, uniqueName } from '../support/harness.js';
import { startProcess } from '../support/process.js';

/**
 * Two real Parley processes on different ports share PostgreSQL and Redis, as behind a load
 * balancer: people connected to different nodes chat as if there were one.
 */

/** What Prometheus would hold to scrape each node on its public port. */
const METRICS_TOKEN = 'cluster-metrics-token-0123456789';

// A dead node's users go offline PRESENCE_NODE_TTL_SECONDS after it dies (30 s by default).
const { nodes, person, track, cluster } = useTwoNodes('cluster', { PRESENCE_NODE_TTL_SECONDS: '2', METRICS_TOKEN });

describe('two nodes on PostgreSQL and Redis', () => {
  it('carry public rooms, private rooms, DMs, typing and presence across nodes; an outsider on another node gets nothing', async ({
    skip,
  }) => {
    if (nodes.length < 2) return skip('PostgreSQL or Redis is not reachable');
    const [a, b] = [nodes[0]!, nodes[1]!];
    const alice = await person('alice', a);
    const bob = await person('bob', b);
    const carol = await person('carol', b);

    // Public room: created on A, joined on B, messages both ways.
    const { room: open } = await alice.call('room:create', { name: 'across', visibility: 'public' });
    expect((await bob.waitFor('room:created', (e) => e.room.id === open.id)).room.name).toBe('across');
    const joinedHeard = alice.next('room:member-joined', (e) => e.user.id === bob.user.id);
    await bob.call('room:join', { roomId: open.id });
    await joinedHeard;
    // With the streams adapter a node publishes to Redis before delivering locally, so the sender
    // may get its ack before its own broadcast: match deliveries by clientMsgId, not by order.
    let heard = bob.next('message:created', (m) => m.clientMsgId === 'a1');
    const { message: m1 } = await alice.call('message:send', { roomId: open.id, clientMsgId: 'a1', text: 'hello from A' });
    expect(await heard).toEqual(m1);
    heard = alice.next('message:created', (m) => m.clientMsgId === 'b1');
    const { message: m2 } = await bob.call('message:send', { roomId: open.id, clientMsgId: 'b1', text: 'hello from B' });
    expect(await heard).toEqual(m2);
    expect(m2.seq).toBe(m1.seq + 1);

    // Typing and presence cross nodes.
    const typing = bob.next('typing:changed', (e) => e.roomId === open.id && e.userId === alice.user.id);
    await alice.call('typing:set', { roomId: open.id, typing: true });
    expect((await typing).typing).toBe(true);
    expect(await bob.call('presence:get', { userIds: [alice.user.id] })).toEqual({ online: [alice.user.id] });

    // Private room: the invitation and the messages cross; carol, an outsider on B, gets nothing.
    const { room: closed } = await alice.call('room:create', { name: 'inner', visibility: 'private' });
    const invited = bob.next('room:invited', (e) => e.room.id === closed.id);
    await alice.call('room:invite', { roomId: closed.id, userId: bob.user.id });
    await invited;
    await bob.call('room:join', { roomId: closed.id });
    heard = bob.next('message:created', (m) => m.clientMsgId === 'secret');
    await alice.call('message:send', { roomId: closed.id, clientMsgId: 'secret', text: 'for bob only' });
    await heard;
    expect(await carol.request('message:history', { roomId: closed.id })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'room not found' },
    });

    // DM: opened on A, it appears on B.
    const dmJoined = bob.next('room:joined', (e) => e.room.kind === 'dm');
    const { room: dm } = await alice.call('dm:open', { userId: bob.user.id });
    expect((await dmJoined).room.id).toBe(dm.id);
    heard = bob.next('message:created', (m) => m.clientMsgId === 'dm1');
    await alice.call('message:send', { roomId: dm.id, clientMsgId: 'dm1', text: 'just us' });
    await heard;

    // Carol heard none of it: a marker in a room she is in comes after everything above.
    await carol.call('room:join', { roomId: open.id });
    const marker = carol.next('message:created', (m) => m.clientMsgId === 'marker');
    await alice.call('message:send', { roomId: open.id, clientMsgId: 'marker', text: 'marker' });
    await marker;
    expect(carol.received('message:created', (m) => m.roomId !== open.id)).toEqual([]);

    // Removal on A reaches bob's socket on B, and B's membership cache: bob can no longer post there.
    const left = bob.next('room:left', (e) => e.roomId === closed.id);
    await alice.call('room:remove-member', { roomId: closed.id, userId: bob.user.id });
    await left;
    expect((await bob.request('message:send', { roomId: closed.id, clientMsgId: 'after-removal', text: 'let me in' })).ok).toBe(false);

    // Presence: alice leaves A, bob on B hears it.
    const offline = bob.next('presence:changed', (e) => e.userId === alice.user.id && !e.online);
    alice.close();
    await offline;
  });

  it('carry roles, renames and bans across nodes: a banned user loses the room on every node and cannot rejoin on either', async ({
    skip,
  }) => {
    if (nodes.length < 2) return skip('PostgreSQL or Redis is not reachable');
    const [a, b] = [nodes[0]!, nodes[1]!];
    const alice = await person('alice', a);
    const bob = await person('bob', b);
    const carol = await person('carol', b);
    const carolOnA = await connect(a.url, carol.person);
    track(carolOnA);
    const { room } = await alice.call('room:create', { name: 'moderated', visibility: 'public' });
    for (const member of [bob, carol]) {
      const joined = alice.next('room:member-joined', (e) => e.user.id === member.user.id);
      await member.call('room:join', { roomId: room.id });
      await joined;
    }
    // carol posts through A: A's membership cache now holds her.
    await carolOnA.call('message:send', { roomId: room.id, clientMsgId: 'c1', text: 'hi from carol' });

    // The owner on A makes bob (on B) admin; bob renames the room from B; A hears both.
    const role = carol.next('room:member-role', (e) => e.userId === bob.user.id);
    await alice.call('room:set-role', { roomId: room.id, userId: bob.user.id, role: 'admin' });
    expect(await role).toEqual({ roomId: room.id, userId: bob.user.id, role: 'admin' });
    const renamed = alice.next('room:updated', (e) => e.room.name === 'moderated, kindly');
    await bob.call('room:update', { roomId: room.id, name: 'moderated, kindly' });
    await renamed;

    // bob bans carol from B: her sockets on both nodes lose the room, A's cache forgets her.
    const left = [carol.next('room:left'), carolOnA.next('room:left')];
    const memberLeft = alice.next('room:member-left', (e) => e.userId === carol.user.id);
    await bob.call('room:remove-member', { roomId: room.id, userId: carol.user.id, ban: true });
    await Promise.all([...left, memberLeft]);
    const refused = { ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } };
    expect(await carolOnA.request('message:send', { roomId: room.id, clientMsgId: 'c2', text: 'still here?' })).toEqual(refused);
    for (const socket of [carol, carolOnA]) {
      expect(await socket.request('room:join', { roomId: room.id })).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'you are banned from this room' },
      });
    }
  });

  it("tells the rooms of a dead node's users that they went offline, once its heartbeat expires", async ({ skip }) => {
    if (nodes.length < 2) return skip('PostgreSQL or Redis is not reachable');
    const doomed = await startProcess(cluster().env);
    try {
      const erin = await person('erin', nodes[0]!);
      const frank = await person('frank', doomed);
      const { room } = await erin.call('room:create', { name: 'vigil', visibility: 'public' });
      const joined = erin.next('room:member-joined', (e) => e.user.id === frank.user.id);
      await frank.call('room:join', { roomId: room.id });
      await joined;
      expect(await erin.call('presence:get', { userIds: [frank.user.id] })).toEqual({ online: [frank.user.id] });

      const offline = erin.next('presence:changed', (e) => e.userId === frank.user.id && !e.online);
      doomed.child.kill('SIGKILL');
      await once(doomed.child, 'exit');
      await offline; // no goodbye from the dead node: a live one noticed its heartbeat expire
      expect(await erin.call('presence:get', { userIds: [frank.user.id] })).toEqual({ online: [] });
    } finally {
      if (doomed.child.exitCode === null && doomed.child.signalCode === null) doomed.child.kill('SIGKILL');
    }
  });

  it('logging out on one node disconnects the session on the other', async ({ skip }) => {
    if (nodes.length < 2) return skip('PostgreSQL or Redis is not reachable');
    const [a, b] = [nodes[0]!, nodes[1]!];
    const who = await register(a.url, uniqueName('dave'));
    const onB = await connect(b.url, who);
    track(onB);
    const gone = disconnected(onB.socket);
    expect((await api(a.url, who.token)('/api/auth/logout', { method: 'POST' })).status).toBe(204);
    expect(await gone).toBe('io server disconnect');
  });

  it('report PostgreSQL and Redis in /readyz and serve /metrics to the holder of METRICS_TOKEN', async ({ skip }) => {
    if (nodes.length < 2) return skip('PostgreSQL or Redis is not reachable');
    for (const node of nodes) {
      const ready = await fetch(`${node.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ checks: { storage: 'ok', redis: 'ok' } });
      const scraped = await fetch(`${node.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(await scraped.text()).toMatch(/^parley_connected_sockets \d+/m);
      expect((await fetch(`${node.url}/metrics`)).status).toBe(404);
    }
  });
});
