import { meResultSchema } from '@parley/protocol';
import { describe, expect } from 'vitest';
import { api, connect, register, startServer, uniqueName, type Client } from '../support/harness.js';
import { it } from '../support/people.js';

/** PATCH /api/me: a display name, and the rooms I am in hear it live (`user:updated`). */
const patchMe = (url: string, who: Client, body: unknown) =>
  api(url, who.person.token)('/api/me', { method: 'PATCH', body: JSON.stringify(body) });

describe('PATCH /api/me', () => {
  it('sets the display name: 200 { user }, read back by GET /api/me; an empty one clears it', async ({ server, alice }) => {
    const res = await patchMe(server.url, alice, { displayName: '  Alice   Liddell ' });
    expect(res.status).toBe(200);
    const expected = { user: { ...alice.user, displayName: 'Alice Liddell' } };
    expect(meResultSchema.parse(res.body)).toEqual(expected);
    expect((await api(server.url, alice.person.token)('/api/me')).body).toEqual(expected);
    expect((await patchMe(server.url, alice, { displayName: '' })).body).toEqual({ user: { ...alice.user, displayName: '' } });
  });

  it('refuses what is not a display name with INVALID and a clear message, changing nothing', async ({ server, alice }) => {
    await patchMe(server.url, alice, { displayName: 'Kept' });
    const refusals: Array<[unknown, RegExp]> = [
      [{ displayName: 'evil\u202Eman' }, /direction controls/],
      [{ displayName: 'x'.repeat(65) }, /at most 64/],
      [{ displayName: '\u200B\u2060' }, /visible character/],
      [{ displayName: 42 }, /displayName/],
      [{}, /displayName/],
      [{ displayName: 'ok', username: 'root' }, /username|unrecognized/i],
    ];
    for (const [body, message] of refusals) {
      const res = await patchMe(server.url, alice, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('INVALID');
      expect(res.body.error.message).toMatch(message);
    }
    expect((await api(server.url, alice.person.token)('/api/me')).body.user.displayName).toBe('Kept');
  });

  it('needs a session', async ({ server }) => {
    const res = await api(server.url)('/api/me', { method: 'PATCH', body: JSON.stringify({ displayName: 'x' }) });
    expect(res.status).toBe(401);
  });

  it("reaches my rooms' members, my own sockets and my next messages; a stranger hears nothing", async ({ server, alice, bob, carol }) => {
    const { room } = await alice.call('room:create', { name: 'team', visibility: 'public' });
    await bob.call('room:join', { roomId: room.id });
    const aliceElsewhere = await connect(server.url, alice.person);
    try {
      const user = { ...alice.user, displayName: 'Alice L.' };
      const heard = [bob, alice, aliceElsewhere].map((c) => c.next('user:updated', (e) => e.user.id === alice.user.id));
      await patchMe(server.url, alice, { displayName: 'Alice L.' });
      for (const payload of await Promise.all(heard)) expect(payload).toEqual({ user });

      // The socket that was open before the change sends as the new name, on every socket.
      const created = bob.next('message:created', (m) => m.clientMsgId === 'after');
      const { message } = await aliceElsewhere.call('message:send', { roomId: room.id, clientMsgId: 'after', text: 'hi' });
      expect(message.author).toEqual(user);
      expect((await created).author).toEqual(user);
      expect((await alice.call('message:history', { roomId: room.id })).messages[0]!.author).toEqual(user);
      expect(carol.received('user:updated')).toEqual([]);
    } finally {
      aliceElsewhere.close();
    }
  });

  it('announces nothing when the name does not change', async ({ server, alice, bob }) => {
    const { room } = await alice.call('room:create', { name: 'quiet', visibility: 'public' });
    await bob.call('room:join', { roomId: room.id });
    const first = bob.next('user:updated');
    await patchMe(server.url, alice, { displayName: 'Same' });
    await first;
    const before = bob.received('user:updated').length;
    expect((await patchMe(server.url, alice, { displayName: ' Same ' })).status).toBe(200);
    // A message after the second PATCH arrives with nothing announced before it.
    const marker = bob.next('message:created', (m) => m.clientMsgId === 'marker');
    await alice.call('message:send', { roomId: room.id, clientMsgId: 'marker', text: 'done' });
    await marker;
    expect(bob.received('user:updated')).toHaveLength(before);
  });

  it("names a DM after the other person's display name", async ({ server, alice, bob }) => {
    const { room } = await alice.call('dm:open', { userId: bob.user.id });
    await patchMe(server.url, bob, { displayName: 'Bobby' });
    const rooms = (await api(server.url, alice.person.token)('/api/rooms')).body.rooms as Array<{ id: string; name: string }>;
    expect(rooms.find((r) => r.id === room.id)?.name).toBe('Bobby');
  });
});

describe('PATCH /api/me budget', () => {
  it('has a per-user budget of its own (LIMIT_EVENTS_PER_MINUTE): over it 429, nothing changed', async () => {
    const server = await startServer({ limits: { eventsPerMinute: 2 } });
    try {
      const [amy, ben] = [await register(server.url, uniqueName('pm')), await register(server.url, uniqueName('pm'))];
      const patch = (token: string, displayName: string) =>
        api(server.url, token)('/api/me', { method: 'PATCH', body: JSON.stringify({ displayName }) });
      expect((await patch(amy.token, 'One')).status).toBe(200);
      expect((await patch(amy.token, 'Two')).status).toBe(200);
      const limited = await patch(amy.token, 'Three');
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('RATE_LIMITED');
      expect((await api(server.url, amy.token)('/api/me')).body.user.displayName).toBe('Two');
      expect((await patch(ben.token, 'Ben')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
