import { sessionResultSchema } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register, startServer, uniqueName, type Person, type TestServer } from '../support/harness.js';

let server: TestServer;
let alice: Person;
let aliceCookie: string;
beforeAll(async () => {
  server = await startServer({ limits: { eventsPerMinute: 5 } });
  const res = await fetch(`${server.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: uniqueName('sess'), password: 'correct horse' }),
  });
  alice = (await res.json()) as Person;
  aliceCookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
});
afterAll(() => server.close());

async function session(headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/api/auth/session`, { headers });
  const body: unknown = await res.json();
  return { status: res.status, body, cacheControl: res.headers.get('cache-control') };
}

describe('GET /api/auth/session', () => {
  it('answers 200 with the user for a bearer token or the session cookie', async () => {
    const byToken = await session({ authorization: `Bearer ${alice.token}` });
    expect(byToken.status).toBe(200);
    expect(byToken.body).toEqual({ user: alice.user });
    expect(sessionResultSchema.parse(byToken.body)).toEqual({ user: alice.user });
    expect(byToken.cacheControl).toBe('no-store');

    expect(await session({ cookie: aliceCookie })).toMatchObject({ status: 200, body: { user: alice.user } });
    expect(await session({ cookie: aliceCookie, origin: server.url })).toMatchObject({ status: 200, body: { user: alice.user } });
  });

  it('answers 200 with user null when signed out: no credentials, a bad token, an ended session', async () => {
    expect(await session()).toMatchObject({ status: 200, body: { user: null } });
    expect(await session({ authorization: 'Bearer not-a-real-token' })).toMatchObject({ status: 200, body: { user: null } });
    expect(await session({ authorization: 'Basic abc' })).toMatchObject({ status: 200, body: { user: null } });
    expect(await session({ cookie: 'parley_session=not-a-real-token' })).toMatchObject({ status: 200, body: { user: null } });

    const bob = await register(server.url, uniqueName('sess'));
    const logout = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${bob.token}` } });
    expect(logout.status).toBe(204);
    expect(await session({ authorization: `Bearer ${bob.token}` })).toMatchObject({ status: 200, body: { user: null } });
  });

  it('ignores the cookie from a foreign or opaque Origin, as requireAuth does', async () => {
    for (const origin of ['https://evil.example', 'null']) {
      expect(await session({ cookie: aliceCookie, origin }), origin).toMatchObject({ status: 200, body: { user: null } });
    }
    // A bearer token is not subject to the Origin rule.
    expect(await session({ authorization: `Bearer ${alice.token}`, origin: 'https://evil.example' })).toMatchObject({
      body: { user: alice.user },
    });
  });

  it('spends the signed-in user’s /me budget', async () => {
    const carol = await register(server.url, uniqueName('sess'));
    const asCarol = { authorization: `Bearer ${carol.token}` };
    // eventsPerMinute is 5 on this server: /me and /auth/session share it.
    for (let i = 0; i < 3; i += 1) expect((await session(asCarol)).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await fetch(`${server.url}/api/me`, { headers: asCarol })).status).toBe(200);
    const limited = await session(asCarol);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    // Signed out costs nothing and is never limited.
    expect(await session()).toMatchObject({ status: 200, body: { user: null } });
  });
});
