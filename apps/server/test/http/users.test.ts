import { userSearchResultSchema } from '@parley/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, connect, register, stopAll, uniqueName, type Client, type TestServer } from '../support/harness.js';
import { describeEachStorage } from '../support/storages.js';

/** GET /api/users?roomId=: the composer's `@` completion offers the room's members only, on SQLite and on PostgreSQL. */
describeEachStorage('GET /api/users with roomId', (startServer) => {
  let server: TestServer;
  let alice: Client;
  let bob: Client;
  let carol: Client;
  let team = '';
  let secret = '';

  beforeAll(async () => {
    server = await startServer({ limits: { eventsPerMinute: 1000 } });
    const person = async (name: string) => connect(server.url, await register(server.url, uniqueName(name)));
    [alice, bob, carol] = await Promise.all([person('mx_alice'), person('mx_bob'), person('mx_carol')]);
    team = (await alice.call('room:create', { name: 'team', visibility: 'public' })).room.id;
    await bob.call('room:join', { roomId: team });
    secret = (await carol.call('room:create', { name: 'secret', visibility: 'private' })).room.id;
  });
  afterAll(() => stopAll(server, alice, bob, carol));

  const users = async (who: Client, params: Record<string, string>) => {
    const res = await api(server.url, who.person.token)(`/api/users?${new URLSearchParams(params).toString()}`);
    return { status: res.status, body: res.body as { users?: unknown; error?: { code: string } } };
  };
  const names = async (who: Client, params: Record<string, string>) =>
    userSearchResultSchema.parse((await users(who, params)).body).users.map((u) => u.username);

  it("answers the room's members with the prefix, by username, and nobody else", async () => {
    expect(await names(alice, { q: 'mx_', roomId: team })).toEqual([alice.user.username, bob.user.username]);
    expect(await names(alice, { q: 'MX_B', roomId: team })).toEqual([bob.user.username]);
    expect(await names(alice, { q: '', roomId: team })).toEqual([alice.user.username, bob.user.username]);
    // Without roomId every user matches, carol too.
    expect(await names(alice, { q: 'mx_' })).toContain(carol.user.username);
  });

  it('follows the membership: a member who left is no longer offered', async () => {
    const dana = await connect(server.url, await register(server.url, uniqueName('mx_dana')));
    try {
      await dana.call('room:join', { roomId: team });
      expect(await names(alice, { q: 'mx_d', roomId: team })).toEqual([dana.user.username]);
      await dana.call('room:leave', { roomId: team });
      expect(await names(alice, { q: 'mx_d', roomId: team })).toEqual([]);
    } finally {
      dana.close();
    }
  });

  it('refuses a private room the caller is not in, and an unknown room, with NOT_FOUND and no names', async () => {
    for (const roomId of [secret, 'r_missing']) {
      const res = await users(alice, { q: 'mx_', roomId });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    }
    expect(await names(carol, { q: 'mx_', roomId: secret })).toEqual([carol.user.username]);
  });

  it('refuses a malformed roomId with INVALID', async () => {
    const res = await users(alice, { q: 'mx_', roomId: '' });
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('INVALID');
  });
});
