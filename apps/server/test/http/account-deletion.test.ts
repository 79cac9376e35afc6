import { describe, expect } from 'vitest';
import { api, connect, connectSocket, connected, disconnected, register, type Person } from '../support/harness.js';
import { it } from '../support/people.js';

/** DELETE /api/me: sessions end, rooms are left, the username stays taken, messages stay as `Deleted user`. */
const PASSWORD = 'correct horse';
const deleteMe = (url: string, token: string, body: unknown) =>
  api(url, token)('/api/me', { method: 'DELETE', body: JSON.stringify(body) });
const login = (url: string, username: string, password = PASSWORD) =>
  api(url)('/api/auth/login', { method: 'POST', body: JSON.stringify({ username, password }) });

describe('DELETE /api/me', () => {
  it('ends every session and socket, leaves every room, keeps the messages as Deleted user', async ({ server, alice, bob, carol }) => {
    const { username, id } = alice.user;
    const { room: team } = await bob.call('room:create', { name: 'team', visibility: 'public' });
    const { room: inner } = await alice.call('room:create', { name: 'inner', visibility: 'private' });
    await alice.call('room:join', { roomId: team.id });
    await alice.call('room:invite', { roomId: inner.id, userId: bob.user.id });
    await bob.call('room:join', { roomId: inner.id });
    const { room: dm } = await bob.call('dm:open', { userId: id });
    const { room: group } = await carol.call('dm:open', { userIds: [id, bob.user.id] });
    const { message } = await alice.call('message:send', { roomId: team.id, clientMsgId: 'c1', text: 'goodbye everyone' });
    // A pending invitation to alice, to be dropped.
    const { room: later } = await carol.call('room:create', { name: 'later', visibility: 'private' });
    await carol.call('room:invite', { roomId: later.id, userId: id });

    const other = (await login(server.url, username)).body as Person;
    const otherSocket = await connect(server.url, other);
    const ends = [disconnected(alice.socket), disconnected(otherSocket.socket)];
    const rooms = [team.id, inner.id, dm.id, group.id];
    const left = rooms.map((roomId) => bob.next('room:member-left', (e) => e.roomId === roomId && e.userId === id));
    // Its rooms hear, before it leaves them, that it shows as Deleted user from now on.
    const renamed = bob.next(
      'user:updated',
      (e) => e.user.id === id && e.user.displayName === 'Deleted user' && e.user.username === 'deleted',
    );
    // alice owned `inner`: it passes to bob, its only other member, and the room hears it.
    const promoted = bob.next('room:member-role', (e) => e.roomId === inner.id && e.userId === bob.user.id && e.role === 'owner');
    const res = await fetch(`${server.url}/api/me`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${alice.person.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/parley_session=;/);
    expect(await Promise.all(ends)).toEqual(['io server disconnect', 'io server disconnect']);
    await Promise.all(left);
    await promoted;
    await renamed;
    expect((await server.storage.rooms.findMembership(inner.id, bob.user.id))?.role).toBe('owner');

    for (const token of [alice.person.token, other.token]) expect((await api(server.url, token)('/api/me')).status).toBe(401);
    const socket = connectSocket(server.url, { auth: { token: alice.person.token } });
    await expect(connected(socket)).rejects.toThrow('UNAUTHORIZED');
    socket.close();
    expect((await login(server.url, username)).status).toBe(401);
    const again = await api(server.url)('/api/auth/register', { method: 'POST', body: JSON.stringify({ username, password: PASSWORD }) });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');

    for (const roomId of rooms) expect(await server.storage.rooms.findMembership(roomId, id)).toBeNull();
    expect(await server.storage.rooms.hasInvitation(later.id, id)).toBe(false);
    const gone = { id, username: 'deleted', displayName: 'Deleted user' };
    const history = await bob.call('message:history', { roomId: team.id });
    expect(history.messages.find((m) => m.id === message.id)?.author).toEqual(gone);
    const found = await api(server.url, bob.person.token)('/api/search?q=goodbye');
    expect(found.body.results.map((r: { message: { author: unknown } }) => r.message.author)).toEqual([gone]);
    // The DM is named after who is left; a deleted user cannot be messaged again.
    const list = (await api(server.url, bob.person.token)('/api/rooms')).body.rooms as Array<{ id: string; name: string }>;
    expect(list.find((r) => r.id === dm.id)?.name).toBe('Deleted user');
    expect(await bob.request('dm:open', { userId: id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await api(server.url, bob.person.token)(`/api/users?q=${username}`)).body.users).toEqual([]);
  });

  it('refuses a wrong password with FORBIDDEN and changes nothing', async ({ server, alice }) => {
    const { room } = await alice.call('room:create', { name: 'mine', visibility: 'public' });
    const res = await deleteMe(server.url, alice.person.token, { password: 'not it at all' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'FORBIDDEN', message: 'the current password is not right' } });
    expect(alice.socket.connected).toBe(true);
    expect(await server.storage.rooms.findMembership(room.id, alice.user.id)).not.toBeNull();
    expect((await login(server.url, alice.user.username)).status).toBe(200);
  });

  it('refuses a malformed body with INVALID, and no session with UNAUTHORIZED', async ({ server, alice }) => {
    for (const body of [{}, { password: 42 }, { password: PASSWORD, now: true }]) {
      const res = await deleteMe(server.url, alice.person.token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('INVALID');
    }
    expect((await deleteMe(server.url, 'nope', { password: PASSWORD })).status).toBe(401);
    expect((await login(server.url, alice.user.username)).status).toBe(200);
  });

  it('never lets anyone sign up as `deleted`', async ({ server }) => {
    for (const username of ['deleted', 'DELETED']) {
      const res = await api(server.url)('/api/auth/register', { method: 'POST', body: JSON.stringify({ username, password: PASSWORD }) });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('CONFLICT');
    }
    await expect(register(server.url, 'deleted_not')).resolves.toMatchObject({ user: { username: 'deleted_not' } });
  });
});
