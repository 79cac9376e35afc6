import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connect,
  connected,
  connectSocket,
  disconnected,
  register,
  startServer,
  uniqueName,
  type TestServer,
} from '../support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ allowedOrigins: ['http://app.example'] });
});
afterAll(() => server.close());

describe('handshake', () => {
  it('refuses a missing or bad token with connect_error UNAUTHORIZED', async () => {
    for (const auth of [{}, { token: 'nope' }, { token: 42 }, { token: '' }]) {
      const socket = connectSocket(server.url, { auth: auth as Record<string, unknown> });
      await expect(connected(socket)).rejects.toThrow('UNAUTHORIZED');
      socket.close();
    }
  });

  it('accepts auth.token over both WebSocket and long-polling', async () => {
    const person = await register(server.url, uniqueName('tr'));
    for (const transports of [['websocket'], ['polling']]) {
      const socket = connectSocket(server.url, { auth: { token: person.token }, transports });
      await connected(socket);
      expect(socket.io.engine.transport.name).toBe(transports[0]);
      socket.close();
    }
  });

  it('accepts the session cookie from its own and allowed origins only', async () => {
    const person = await register(server.url, uniqueName('ck'));
    const attempt = (origin: string | undefined) => {
      const extraHeaders: Record<string, string> = { cookie: `parley_session=${person.token}` };
      if (origin) extraHeaders.origin = origin;
      // Long-polling lets a Node client set the Origin header, as a browser would.
      const socket = connectSocket(server.url, { transports: ['polling'], extraHeaders });
      return connected(socket).finally(() => socket.close());
    };
    await expect(attempt(undefined)).resolves.toBeUndefined();
    await expect(attempt(server.url)).resolves.toBeUndefined();
    await expect(attempt('http://app.example')).resolves.toBeUndefined();
    await expect(attempt('http://evil.example')).rejects.toThrow('UNAUTHORIZED');
    await expect(attempt('null')).rejects.toThrow('UNAUTHORIZED');
  });

  it('falls back to the cookie when auth.token is stale', async () => {
    const person = await register(server.url, uniqueName('st'));
    const socket = connectSocket(server.url, {
      transports: ['polling'],
      auth: { token: 'stale-token' },
      extraHeaders: { cookie: `parley_session=${person.token}`, origin: server.url },
    });
    await connected(socket);
    socket.close();
  });

  it('accepts auth.token from a foreign origin', async () => {
    const person = await register(server.url, uniqueName('ft'));
    const socket = connectSocket(server.url, {
      transports: ['polling'],
      auth: { token: person.token },
      extraHeaders: { origin: 'http://evil.example' },
    });
    await connected(socket);
    socket.close();
  });
});

describe('logout', () => {
  it('disconnects every socket of that session, and only that session', async () => {
    const person = await register(server.url, uniqueName('lo'));
    const other = (
      await api(server.url)('/api/auth/login', {
        method: 'POST',
        body: JSON.stringify({ username: person.user.username, password: 'correct horse' }),
      })
    ).body as { token: string };
    const [a, b] = await Promise.all([connect(server.url, person), connect(server.url, person)]);
    const survivor = await connect(server.url, { user: person.user, token: other.token });

    const gone = Promise.all([disconnected(a.socket), disconnected(b.socket)]);
    expect((await api(server.url, person.token)('/api/auth/logout', { method: 'POST' })).status).toBe(204);
    expect(await gone).toEqual(['io server disconnect', 'io server disconnect']);
    expect(survivor.socket.connected).toBe(true);
    expect((await survivor.call('presence:get', { userIds: [person.user.id] })).online).toEqual([person.user.id]);

    const again = connectSocket(server.url, { auth: { token: person.token } });
    await expect(connected(again)).rejects.toThrow('UNAUTHORIZED');
    again.close();
    survivor.close();
  });

  it('also works with the cookie, which it clears', async () => {
    const person = await register(server.url, uniqueName('lc'));
    const res = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: `parley_session=${person.token}`, origin: server.url },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/parley_session=;/);
    expect((await api(server.url, person.token)('/api/me')).status).toBe(401);
  });
});

describe('session expiry', () => {
  it('refuses an expired session over HTTP and at the handshake', async () => {
    const shortLived = await startServer({ sessionTtlMs: 1 });
    const person = await register(shortLived.url, uniqueName('ex'));
    expect((await api(shortLived.url, person.token)('/api/me')).status).toBe(401);
    const socket = connectSocket(shortLived.url, { auth: { token: person.token } });
    await expect(connected(socket)).rejects.toThrow('UNAUTHORIZED');
    socket.close();
    await shortLived.close();
  });
});

describe('sessions are stored', () => {
  it('survive a server restart on the same data', async () => {
    const { startServer: start } = await import('../support/harness.js');
    const { createSqliteStorage } = await import('../../src/storage/sqlite/index.js');
    const first = await start();
    const person = await register(first.url, uniqueName('rs'));
    const dataDir = first.dataDir;
    await first.app.close();
    const second = await start({ storage: createSqliteStorage(dataDir) });
    expect((await api(second.url, person.token)('/api/me')).body).toEqual({ user: person.user });
    await second.close();
  });
});
