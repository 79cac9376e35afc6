import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/edge/limits.js';
import { RateLimits } from '../../src/infra/rate-limits.js';
import {
  api,
  connect,
  register,
  startServer,
  startWithPeople,
  stopAll,
  uniqueName,
  type Client,
  type TestServer,
} from '../support/harness.js';
import { testRedisUrl } from '../support/services.js';

describe('per-user event rate limits', () => {
  let server: TestServer, alice: Client, bob: Client, carol: Client;
  beforeAll(async () => {
    ({ server, alice, bob, carol } = await startWithPeople({
      limits: { messagesPerMinute: 20, eventsPerMinute: 5, roomCreationsPerHour: 3 },
    }));
  });
  afterAll(() => stopAll(server, alice, bob, carol));

  it('answers a flood of sends RATE_LIMITED beyond the limit, stores only what it acknowledged, and others still get through', async () => {
    const { room: flooded } = await alice.call('room:create', { name: 'flooded', visibility: 'public' });
    const { room: quiet } = await bob.call('room:create', { name: 'quiet', visibility: 'public' });
    await carol.call('room:join', { roomId: quiet.id });

    const acks = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        alice.request('message:send', { roomId: flooded.id, clientMsgId: `flood-${i}`, text: `flood ${i}` }),
      ),
    );
    const accepted = acks.filter((a) => a.ok);
    const refused = acks.filter((a) => !a.ok);
    expect(accepted).toHaveLength(20);
    expect(refused).toHaveLength(40);
    for (const ack of refused)
      expect(ack).toEqual({
        ok: false,
        error: { code: 'RATE_LIMITED', message: expect.stringMatching(/too many messages; try again in \d+ s/) },
      });

    const { messages } = await bob.call('message:history', { roomId: flooded.id, limit: 100 });
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));

    // bob is not alice: his message is stored and delivered while alice is limited.
    const delivered = carol.next('message:created', (m) => m.roomId === quiet.id);
    const { message } = await bob.call('message:send', { roomId: quiet.id, clientMsgId: 'unaffected', text: 'still here' });
    expect(await delivered).toEqual(message);
    expect((await alice.request('message:send', { roomId: flooded.id, clientMsgId: 'later', text: 'x' })).ok).toBe(false);
  });

  it('limits every other event per user and per event, apart from messages', async () => {
    const { room } = await carol.call('room:create', { name: 'typing-flood', visibility: 'public' });
    const acks = [];
    for (let i = 0; i < 7; i++) acks.push(await carol.request('typing:set', { roomId: room.id, typing: i % 2 === 0 }));
    expect(acks.map((a) => (a.ok ? 'ok' : a.error.code))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
    // Another event has its own budget.
    expect((await carol.request('message:history', { roomId: room.id })).ok).toBe(true);
  });

  it('caps room creations per hour, creating nothing beyond', async () => {
    const person = await register(server.url, uniqueName('creator'));
    const creator = await connect(server.url, person);
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) {
        const ack = await creator.request('room:create', { name: `mine ${i}`, visibility: 'private' });
        codes.push(ack.ok ? 'ok' : ack.error.code);
      }
      expect(codes).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED']);
      const { body } = await api(server.url, person.token)('/api/rooms');
      expect(
        (body.rooms as Array<{ name: string }>)
          .filter((r) => r.name.startsWith('mine '))
          .map((r) => r.name)
          .sort(),
      ).toEqual(['mine 0', 'mine 1', 'mine 2']);
    } finally {
      creator.close();
    }
  });
});

describe('HTTP rate limits: one budget per operation, whatever the transport', () => {
  let server: TestServer, alice: Client, bob: Client, carol: Client;
  beforeAll(async () => {
    ({ server, alice, bob, carol } = await startWithPeople({ limits: { eventsPerMinute: 5 } }));
  });
  afterAll(() => stopAll(server, alice, bob, carol));

  const outcome = (res: { status: number; body: any }) => (res.status === 200 ? 'ok' : res.body.error.code);

  it('spends the same message:history budget over HTTP and over the socket, and refuses the 6th with 429 and Retry-After', async () => {
    const { room } = await carol.call('room:create', { name: 'read-flood', visibility: 'public' });
    const http = api(server.url, alice.person.token);
    const history = `/api/rooms/${room.id}/messages?limit=100`;

    const outcomes = [];
    for (let i = 0; i < 3; i++) {
      const ack = await alice.request('message:history', { roomId: room.id, limit: 100 });
      outcomes.push(ack.ok ? 'ok' : ack.error.code);
      outcomes.push(outcome(await http(history)));
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED']);

    const refused = await http(history);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      error: { code: 'RATE_LIMITED', message: expect.stringMatching(/^too many message:history requests; try again in \d+ s$/) },
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // Spent over HTTP, gone for the socket too.
    expect(await alice.request('message:history', { roomId: room.id })).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', message: expect.any(String) },
    });

    // bob has his own budget, on both transports.
    expect((await api(server.url, bob.person.token)(history)).status).toBe(200);
    expect((await bob.request('message:history', { roomId: room.id })).ok).toBe(true);
  });

  it('limits /api/rooms, /api/users, /api/search and /api/me per user, each with its own budget', async () => {
    const http = api(server.url, bob.person.token);
    for (const path of ['/api/rooms', '/api/users?q=ali', '/api/search?q=anything', '/api/me']) {
      const outcomes = [];
      for (let i = 0; i < 6; i++) outcomes.push(outcome(await http(path)));
      expect({ path, outcomes }).toEqual({ path, outcomes: ['ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED'] });
      expect((await http(path)).headers.get('retry-after')).toMatch(/^\d+$/);
    }
    // carol is not affected.
    expect((await api(server.url, carol.person.token)('/api/rooms')).status).toBe(200);
  });
});

describe('sign-in rate limits', () => {
  let server: TestServer;
  afterEach(() => server.close());

  const login = (username: string, password: string) =>
    api(server.url)('/api/auth/login', { method: 'POST', body: JSON.stringify({ username, password }) });

  it('stops guessing a password after a few failures, with the same answers for unknown users', async () => {
    server = await startServer({ limits: { loginFailuresPerUsername: 3 } });
    const known = await register(server.url, uniqueName('victim'));
    const answers = async (username: string, lastPassword: string) => {
      const out = [];
      for (const password of ['wrong 1', 'wrong 2', 'wrong 3', lastPassword]) {
        const res = await login(username, password);
        out.push(`${res.status} ${res.body.error?.code ?? 'ok'}`);
      }
      return out;
    };
    const expected = ['401 UNAUTHORIZED', '401 UNAUTHORIZED', '401 UNAUTHORIZED', '429 RATE_LIMITED'];
    // Even the right password is refused once the username is locked.
    expect(await answers(known.user.username, 'correct horse')).toEqual(expected);
    expect(await answers(uniqueName('nobody'), 'correct horse')).toEqual(expected);
    // Another username is not affected.
    const other = await register(server.url, uniqueName('bystander'));
    expect((await login(other.user.username, 'correct horse')).status).toBe(200);
  });

  it('limits sign-in and registration attempts per address, creating no account beyond', async () => {
    server = await startServer({ limits: { authAttemptsPerIp: 3 } });
    const names = [uniqueName('ip'), uniqueName('ip'), uniqueName('ip'), uniqueName('ip')];
    const statuses = [];
    for (const username of names) {
      const res = await api(server.url)('/api/auth/register', {
        method: 'POST',
        body: JSON.stringify({ username, password: 'correct horse' }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(await server.storage.users.findByUsername(names[3]!)).toBeNull();
    expect((await login(names[0]!, 'correct horse')).status).toBe(429);
  });
});

describe('rate limits in Redis', () => {
  let redisUrl: string | undefined;
  const clients: Redis[] = [];
  beforeAll(async () => {
    redisUrl = await testRedisUrl();
  });
  afterAll(() => Promise.all(clients.map((c) => c.quit().catch(() => undefined))));

  const connectRedis = (url: string) => {
    const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    redis.on('error', () => undefined);
    clients.push(redis);
    return redis;
  };
  const ready = (redis: Redis) =>
    new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));

  it('hold across nodes: two nodes share one budget per user', async ({ skip }) => {
    if (!redisUrl) return skip('no Redis');
    const [a, b] = [connectRedis(redisUrl), connectRedis(redisUrl)];
    await Promise.all([ready(a), ready(b)]);
    const limits = { ...DEFAULT_LIMITS, messagesPerMinute: 5 };
    const nodeA = new RateLimits(limits, a);
    const nodeB = new RateLimits(limits, b);
    const user = `u_${randomUUID()}`;
    const outcomes = [];
    for (let i = 0; i < 8; i++) {
      outcomes.push(
        await (i % 2 ? nodeB : nodeA).event('message:send', user).then(
          () => 'ok',
          (e: { code: string }) => e.code,
        ),
      );
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('fall back to a per-node limit when Redis is unreachable, instead of failing or letting floods through', async () => {
    const dead = connectRedis('redis://127.0.0.1:1');
    const node = new RateLimits({ ...DEFAULT_LIMITS, messagesPerMinute: 2 }, dead);
    const user = `u_${randomUUID()}`;
    const outcomes = [];
    for (let i = 0; i < 3; i++)
      outcomes.push(
        await node.event('message:send', user).then(
          () => 'ok',
          (e: { code: string }) => e.code,
        ),
      );
    expect(outcomes).toEqual(['ok', 'ok', 'RATE_LIMITED']);
  });
});
