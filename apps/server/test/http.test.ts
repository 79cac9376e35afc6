import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, register, startServer, uniqueName, type TestServer } from './support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ allowedOrigins: ['http://app.example'] });
});
afterAll(() => server.close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('accounts', () => {
  it('registers with 201, a lowercased username, a token and an HttpOnly SameSite=Lax cookie', async () => {
    const name = uniqueName('Reg');
    const res = await post('/api/auth/register', { username: name, password: 'password123' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { user: { id: string; username: string }; token: string };
    expect(body.user.username).toBe(name.toLowerCase());
    expect(body.token).toMatch(/^[\w-]{40,}$/);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`parley_session=${body.token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect((await api(server.url, body.token)('/api/me')).body).toEqual({ user: body.user });
  });

  it('answers CONFLICT for a username taken in another case', async () => {
    const name = uniqueName('dup');
    await register(server.url, name);
    const res = await post('/api/auth/register', { username: name.toUpperCase(), password: 'password123' });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: 'CONFLICT', message: expect.any(String) } });
  });

  it.each([
    [{ username: 'ab', password: 'password123' }],
    [{ username: 'good_name', password: 'short' }],
    [{ username: 'bad name', password: 'password123' }],
    [{ username: 'good_name', password: 'password123', admin: true }],
    [[]],
    ['"string"'],
  ])('refuses invalid registration %j with INVALID', async (body) => {
    const res = await post('/api/auth/register', body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe('INVALID');
  });

  it('logs in with any case, each login its own session', async () => {
    const name = uniqueName('login');
    const first = await register(server.url, name, 'password123');
    const res = await post('/api/auth/login', { username: name.toUpperCase(), password: 'password123' });
    expect(res.status).toBe(200);
    const second = (await res.json()) as { token: string; user: { id: string } };
    expect(second.user.id).toBe(first.user.id);
    expect(second.token).not.toBe(first.token);
  });

  it('gives the same 401 for an unknown user and a wrong password', async () => {
    const name = uniqueName('pw');
    await register(server.url, name, 'password123');
    const wrong = await post('/api/auth/login', { username: name, password: 'wrong-password' });
    const unknown = await post('/api/auth/login', { username: uniqueName('ghost'), password: 'password123' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('logout answers 204 and the token stops working; other sessions live on', async () => {
    const name = uniqueName('out');
    const first = await register(server.url, name, 'password123');
    const second = (await (await post('/api/auth/login', { username: name, password: 'password123' })).json()) as {
      token: string;
    };
    expect((await api(server.url, first.token)('/api/auth/logout', { method: 'POST' })).status).toBe(204);
    expect((await api(server.url, first.token)('/api/me')).status).toBe(401);
    expect((await api(server.url, second.token)('/api/me')).status).toBe(200);
  });

  it('refuses requests without a session with UNAUTHORIZED', async () => {
    for (const path of ['/api/me', '/api/rooms', '/api/users?q=a', '/api/rooms/r_x/messages']) {
      const res = await api(server.url)(path);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    }
    expect((await api(server.url, 'not-a-token')('/api/me')).status).toBe(401);
  });
});

describe('cookie sessions and origins', () => {
  const withCookie = async (origin?: string) => {
    const person = await register(server.url, uniqueName('ck'));
    const headers: Record<string, string> = { cookie: `parley_session=${person.token}` };
    if (origin) headers.origin = origin;
    return fetch(`${server.url}/api/me`, { headers });
  };

  it('accepts the cookie without an Origin, from its own origin and from an allowed one', async () => {
    expect((await withCookie()).status).toBe(200);
    expect((await withCookie(server.url)).status).toBe(200);
    expect((await withCookie('http://app.example')).status).toBe(200);
  });

  it('refuses the cookie from a foreign origin and from the null origin', async () => {
    expect((await withCookie('http://evil.example')).status).toBe(401);
    expect((await withCookie('null')).status).toBe(401);
  });

  it('lets any origin read bearer responses (CORS) but gives credentials only to allowed ones', async () => {
    const person = await register(server.url, uniqueName('cors'));
    const foreign = await fetch(`${server.url}/api/me`, {
      headers: { authorization: `Bearer ${person.token}`, origin: 'http://other-team.example' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBe('http://other-team.example');
    expect(foreign.headers.get('access-control-allow-credentials')).toBeNull();
    const allowed = await fetch(`${server.url}/api/me`, {
      headers: { authorization: `Bearer ${person.token}`, origin: 'http://app.example' },
    });
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('accepts a bearer token from any origin', async () => {
    const person = await register(server.url, uniqueName('br'));
    const res = await fetch(`${server.url}/api/me`, {
      headers: { authorization: `Bearer ${person.token}`, origin: 'http://evil.example' },
    });
    expect(res.status).toBe(200);
  });
});

describe('users', () => {
  it('finds at most 20 users by username prefix', async () => {
    const me = await register(server.url, uniqueName('finder'));
    const prefix = `zq${process.pid % 1000}`;
    for (let i = 0; i < 22; i++) await register(server.url, `${prefix}_${String(i).padStart(2, '0')}`);
    const res = await api(server.url, me.token)(`/api/users?q=${prefix.toUpperCase()}`);
    expect(res.status).toBe(200);
    expect(res.body.users).toHaveLength(20);
    expect(res.body.users[0]).toEqual({ id: expect.any(String), username: `${prefix}_00`, displayName: '' });
    expect(Object.keys(res.body.users[0]).sort()).toEqual(['displayName', 'id', 'username']);
    expect((await api(server.url, me.token)('/api/users?q=' + 'x'.repeat(40))).status).toBe(400);
  });
});

describe('errors', () => {
  it('answers broken JSON with INVALID and no internals', async () => {
    const res = await post('/api/auth/register', '{"username":');
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'INVALID', message: expect.any(String) } });
    expect(text).not.toMatch(/at |node_modules|SyntaxError|\/src\//);
  });

  it('answers a body over 64 KiB with PAYLOAD_TOO_LARGE', async () => {
    const res = await post('/api/auth/register', { username: 'big', password: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a path with a broken %-escape with INVALID, not INTERNAL', async () => {
    const me = await register(server.url, uniqueName('pct'));
    for (const path of ['/api/rooms/%E0%A4%A/messages', '/api/rooms/%/messages']) {
      const res = await api(server.url, me.token)(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe('INVALID');
    }
  });

  it('answers an unknown API route with NOT_FOUND', async () => {
    const me = await register(server.url, uniqueName('nf'));
    const res = await api(server.url, me.token)('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('refuses bad history queries with INVALID', async () => {
    const me = await register(server.url, uniqueName('hq'));
    for (const q of ['before=abc', 'limit=0', 'limit=101', 'before=3&after=1', 'after=-1', 'junk=1']) {
      const res = await api(server.url, me.token)(`/api/rooms/r_x/messages?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('INVALID');
    }
  });
});

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('answers /readyz 503 when storage does not answer', async () => {
    const broken = await startServer();
    await broken.storage.close();
    const res = await fetch(`${broken.url}/readyz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error).toEqual({ code: 'UNAVAILABLE', message: 'not ready: storage' });
    expect((await fetch(`${broken.url}/healthz`)).status).toBe(200);
    await broken.close();
  });
});
