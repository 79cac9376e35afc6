import { describe, expect } from 'vitest';
import {
  api,
  connect,
  connectSocket,
  connected,
  disconnected,
  register,
  startServer,
  uniqueName,
  type Person,
} from '../support/harness.js';
import { it } from '../support/people.js';

/** POST /api/me/password: the password changes, and every other session of mine ends with its sockets. */
const PASSWORD = 'correct horse';

async function login(url: string, username: string, password: string) {
  const res = await api(url)('/api/auth/login', { method: 'POST', body: JSON.stringify({ username, password }) });
  return { status: res.status, person: res.body as Person };
}

const changePassword = (url: string, token: string, body: unknown) =>
  api(url, token)('/api/me/password', { method: 'POST', body: JSON.stringify(body) });

describe('POST /api/me/password', () => {
  it('changes the password and ends every other session and its sockets; this one stays', async ({ server, alice, bob }) => {
    const { username } = alice.user;
    const other = (await login(server.url, username, PASSWORD)).person;
    const otherSocket = await connect(server.url, other);
    const cookieSocket = connectSocket(server.url, { extraHeaders: { cookie: `parley_session=${other.token}` }, transports: ['polling'] });
    await connected(cookieSocket);
    const ends = [disconnected(otherSocket.socket), disconnected(cookieSocket)];

    const res = await changePassword(server.url, alice.person.token, { currentPassword: PASSWORD, newPassword: 'battery staple' });
    expect(res.status).toBe(204);
    expect(await Promise.all(ends)).toEqual(['io server disconnect', 'io server disconnect']);

    // The other session is over, by bearer token and by cookie, for HTTP and sockets alike.
    expect((await api(server.url, other.token)('/api/me')).status).toBe(401);
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie: `parley_session=${other.token}` } })).status).toBe(401);
    const refused = connectSocket(server.url, { auth: { token: other.token } });
    await expect(connected(refused)).rejects.toThrow('UNAUTHORIZED');
    refused.close();

    // This session and its socket carry on.
    expect((await api(server.url, alice.person.token)('/api/me')).status).toBe(200);
    expect(alice.socket.connected).toBe(true);
    await alice.call('room:create', { name: 'still here', visibility: 'public' });

    expect((await login(server.url, username, PASSWORD)).status).toBe(401);
    expect((await login(server.url, username, 'battery staple')).status).toBe(200);
    // Nobody else's sessions were touched.
    expect((await api(server.url, bob.person.token)('/api/me')).status).toBe(200);
    expect(bob.socket.connected).toBe(true);
  });

  it('refuses a wrong current password with FORBIDDEN, changing nothing and ending nothing', async ({ server, alice }) => {
    const other = (await login(server.url, alice.user.username, PASSWORD)).person;
    const res = await changePassword(server.url, alice.person.token, { currentPassword: 'not it at all', newPassword: 'battery staple' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'FORBIDDEN', message: 'the current password is not right' } });
    expect((await api(server.url, other.token)('/api/me')).status).toBe(200);
    expect((await login(server.url, alice.user.username, PASSWORD)).status).toBe(200);
  });

  it('refuses a new password that sign-up would refuse, and a malformed body, with INVALID', async ({ server, alice }) => {
    for (const body of [
      { currentPassword: PASSWORD, newPassword: 'short' },
      { currentPassword: PASSWORD, newPassword: 'x'.repeat(129) },
      { currentPassword: PASSWORD },
      { currentPassword: 42, newPassword: 'battery staple' },
      { currentPassword: PASSWORD, newPassword: 'battery staple', extra: true },
    ]) {
      const res = await changePassword(server.url, alice.person.token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('INVALID');
    }
    expect((await login(server.url, alice.user.username, PASSWORD)).status).toBe(200);
  });

  it('needs a session', async ({ server }) => {
    expect((await changePassword(server.url, 'nope', { currentPassword: PASSWORD, newPassword: 'battery staple' })).status).toBe(401);
  });
});

describe('password checks are rate-limited as sign-in is', () => {
  it('limits wrong current passwords per username, then even the right one', async () => {
    const server = await startServer({ limits: { loginFailuresPerUsername: 2 } });
    try {
      const person = await register(server.url, uniqueName('pw'));
      for (let i = 0; i < 2; i += 1) {
        expect(
          (await changePassword(server.url, person.token, { currentPassword: 'wrong guess', newPassword: 'battery staple' })).status,
        ).toBe(403);
      }
      const limited = await changePassword(server.url, person.token, { currentPassword: PASSWORD, newPassword: 'battery staple' });
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('RATE_LIMITED');
      const deletion = await api(server.url, person.token)('/api/me', { method: 'DELETE', body: JSON.stringify({ password: PASSWORD }) });
      expect(deletion.status).toBe(429);
      expect((await api(server.url, person.token)('/api/me')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("spends the address's sign-in attempts", async () => {
    const server = await startServer({ limits: { authAttemptsPerIp: 3 } });
    try {
      // Registering spends one attempt; two checks spend the rest.
      const person = await register(server.url, uniqueName('pw'));
      const body = { currentPassword: 'wrong guess', newPassword: 'battery staple' };
      expect((await changePassword(server.url, person.token, body)).status).toBe(403);
      expect((await changePassword(server.url, person.token, body)).status).toBe(403);
      expect((await changePassword(server.url, person.token, body)).status).toBe(429);
    } finally {
      await server.close();
    }
  });
});
