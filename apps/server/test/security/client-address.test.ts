import { afterEach, describe, expect, it } from 'vitest';
import { resolveClientAddress, trustsProxyHop } from '../../src/edge/client-address.js';
import type { AppDeps } from '../../src/app.js';
import {
  api,
  connected,
  connectSocket,
  register,
  startServer,
  uniqueName,
  type ClientSocket,
  type TestServer,
} from '../support/harness.js';

describe('resolveClientAddress', () => {
  it('by default believes one proxy on this machine: the entry it appended, never what the client put before it', () => {
    expect(resolveClientAddress('127.0.0.1', 'spoofed-1, 198.51.100.7', 'loopback')).toBe('198.51.100.7');
    expect(resolveClientAddress('::1', '198.51.100.7', 'loopback')).toBe('198.51.100.7');
    expect(resolveClientAddress('::ffff:127.0.0.1', ' 198.51.100.7 ', 'loopback')).toBe('198.51.100.7');
    // A peer elsewhere is the client itself, whatever it claims.
    expect(resolveClientAddress('203.0.113.5', 'spoofed-1, 198.51.100.7', 'loopback')).toBe('203.0.113.5');
    // A local connection that forwards nothing is itself the client.
    expect(resolveClientAddress('127.0.0.1', undefined, 'loopback')).toBe('127.0.0.1');
    expect(resolveClientAddress('127.0.0.1', ' , ', 'loopback')).toBe('127.0.0.1');
  });

  it('with a number of hops, walks back that many proxies from the peer, wherever they are', () => {
    const chain = 'spoofed, 198.51.100.7, 10.0.0.2';
    expect(resolveClientAddress('10.0.0.1', chain, 0)).toBe('10.0.0.1');
    expect(resolveClientAddress('10.0.0.1', chain, 1)).toBe('10.0.0.2');
    expect(resolveClientAddress('10.0.0.1', chain, 2)).toBe('198.51.100.7');
    // Fewer entries than hops: the leftmost is all there is.
    expect(resolveClientAddress('10.0.0.1', '198.51.100.7', 3)).toBe('198.51.100.7');
    // Hops 0 believes no header, even from loopback.
    expect(resolveClientAddress('127.0.0.1', '198.51.100.7', 0)).toBe('127.0.0.1');
  });

  it('reads repeated headers as one list, and counts an IPv4 client once whichever socket family it came in on', () => {
    expect(resolveClientAddress('10.0.0.1', ['spoofed', '198.51.100.7, 10.0.0.2'], 2)).toBe('198.51.100.7');
    expect(resolveClientAddress('::ffff:198.51.100.7', undefined, 'loopback')).toBe('198.51.100.7');
    expect(resolveClientAddress(undefined, undefined, 1)).toBe('unknown');
  });

  it('gives Express the same rule (trust proxy), hop by hop', () => {
    const loopback = trustsProxyHop('loopback');
    expect([loopback('127.0.0.1', 0), loopback('::1', 0), loopback('10.0.0.1', 0), loopback('127.0.0.1', 1)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    const two = trustsProxyHop(2);
    expect([two('203.0.113.5', 0), two('203.0.113.5', 1), two('203.0.113.5', 2)]).toEqual([true, true, false]);
  });
});

describe('one client address for sockets and HTTP', () => {
  let server: TestServer;
  const sockets: ClientSocket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await server.close();
  });

  /** Connects through "a proxy" that sends this X-Forwarded-For; resolves with the outcome. */
  async function handshake(token: string, forwardedFor: string): Promise<string> {
    const socket = connectSocket(server.url, {
      auth: { token },
      transports: ['polling'],
      extraHeaders: { 'x-forwarded-for': forwardedFor },
    });
    // Kept open until the test ends: each counts against its address meanwhile.
    sockets.push(socket);
    try {
      await connected(socket);
      return 'connected';
    } catch (error) {
      return `${(error as Error).message}: ${(error as { data?: { message?: string } }).data?.message}`;
    }
  }

  async function signUp(forwardedFor: string) {
    const res = await api(server.url)('/api/auth/register', {
      method: 'POST',
      headers: { 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ username: uniqueName('fwd'), password: 'correct horse' }),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after') };
  }

  async function start(overrides: Partial<AppDeps>) {
    server = await startServer({ limits: { socketsPerIp: 2, authAttemptsPerIp: 3 }, ...overrides });
    return register(server.url, uniqueName('proxied'));
  }

  it('counts the sockets of one client behind an appending proxy as one address, whatever it puts in front', async () => {
    const { token } = await start({});
    expect(await handshake(token, 'spoofed-1, 198.51.100.7')).toBe('connected');
    expect(await handshake(token, 'spoofed-2, 198.51.100.7')).toBe('connected');
    expect(await handshake(token, 'spoofed-3, 198.51.100.7')).toBe('RATE_LIMITED: too many connections from this address (2)');
    // Another client behind the same proxy has its own budget.
    expect(await handshake(token, 'spoofed-1, 198.51.100.8')).toBe('connected');
  });

  it('counts the sign-in attempts of that client the same way, answering 429 with Retry-After', async () => {
    await start({}); // its registration was attempt 1 of 127.0.0.1, not of the forwarded clients
    expect(await signUp('spoofed-1, 198.51.100.7')).toEqual({ status: 201, retryAfter: null });
    expect(await signUp('spoofed-2, 198.51.100.7')).toEqual({ status: 201, retryAfter: null });
    expect(await signUp('spoofed-3, 198.51.100.7')).toEqual({ status: 201, retryAfter: null });
    const refused = await signUp('spoofed-4, 198.51.100.7');
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await signUp('198.51.100.8')).status).toBe(201);
  });

  it('believes as many proxies as configured, for both transports: 0 hops ignores the header', async () => {
    const { token } = await start({ trustedProxies: 0 });
    // The registration above and this socket all come from 127.0.0.1, whatever they forward.
    expect(await handshake(token, '198.51.100.7')).toBe('connected');
    expect(await handshake(token, '198.51.100.8')).toBe('connected');
    expect(await handshake(token, '198.51.100.9')).toBe('RATE_LIMITED: too many connections from this address (2)');
    expect((await signUp('198.51.100.7')).status).toBe(201);
    expect((await signUp('198.51.100.8')).status).toBe(201);
    expect((await signUp('198.51.100.9')).status).toBe(429);
  });

  it('believes as many proxies as configured, for both transports: 2 hops reaches past a second proxy', async () => {
    const { token } = await start({ trustedProxies: 2 });
    expect(await handshake(token, 'spoofed-1, 198.51.100.7, 10.0.0.2')).toBe('connected');
    expect(await handshake(token, 'spoofed-2, 198.51.100.7, 10.0.0.3')).toBe('connected');
    expect(await handshake(token, 'spoofed-3, 198.51.100.7, 10.0.0.2')).toBe('RATE_LIMITED: too many connections from this address (2)');
    for (const balancer of ['10.0.0.2', '10.0.0.3', '10.0.0.2'])
      expect((await signUp(`spoofed, 198.51.100.7, ${balancer}`)).status).toBe(201);
    expect((await signUp('spoofed, 198.51.100.7, 10.0.0.3')).status).toBe(429);
  });
});
