import { afterEach, describe, expect, it } from 'vitest';
import {
  api,
  connect,
  connected,
  connectSocket,
  disconnected,
  join,
  register,
  startServer,
  uniqueName,
  type Client,
  type TestServer,
} from '../support/harness.js';

let server: TestServer;
const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.close();
});

async function person(prefix: string) {
  const client = await join(server.url, prefix);
  clients.push(client);
  return client;
}

/** connect_error's code and the reason the server gave with it. */
async function refusal(socket: ReturnType<typeof connectSocket>): Promise<{ code: string; reason: unknown }> {
  try {
    await connected(socket);
    throw new Error('connected, but should have been refused');
  } catch (error) {
    return { code: (error as Error).message, reason: (error as { data?: { message?: unknown } }).data?.message };
  } finally {
    socket.close();
  }
}

describe('connection caps', () => {
  it('refuses a user more sockets than allowed, and accepts again once one closes', async () => {
    server = await startServer({ limits: { socketsPerUser: 2 } });
    const who = await register(server.url, uniqueName('many'));
    const first = await connect(server.url, who);
    const second = await connect(server.url, who);
    clients.push(first, second);

    expect(await refusal(connectSocket(server.url, { auth: { token: who.token } }))).toEqual({
      code: 'RATE_LIMITED',
      reason: 'too many connections for this user (2)',
    });
    // Someone else is not affected.
    await person('other');

    const gone = disconnected(first.socket);
    first.close();
    await gone;
    // The server lets the closed socket go a moment after the client does.
    await expect
      .poll(async () => {
        const attempt = connectSocket(server.url, { auth: { token: who.token } });
        try {
          await connected(attempt);
          return 'connected';
        } catch {
          return 'refused';
        } finally {
          attempt.close();
        }
      })
      .toBe('connected');
  });

  it('refuses an address more sockets than allowed, telling forwarded addresses behind a local proxy apart', async () => {
    server = await startServer({ limits: { socketsPerIp: 3 } });
    for (let i = 0; i < 3; i++) await person('same-ip');
    const fourth = await register(server.url, uniqueName('ip4'));
    expect(await refusal(connectSocket(server.url, { auth: { token: fourth.token } }))).toEqual({
      code: 'RATE_LIMITED',
      reason: 'too many connections from this address (3)',
    });
    // A proxy on this machine forwards another client's address: that one has its own budget.
    const proxied = connectSocket(server.url, {
      auth: { token: fourth.token },
      transports: ['polling'],
      extraHeaders: { 'x-forwarded-for': '203.0.113.9' },
    });
    await connected(proxied);
    proxied.close();
  });
});

describe('room caps', () => {
  it('refuses joining, creating or opening a DM beyond the rooms a user may belong to, changing nothing', async () => {
    server = await startServer({ limits: { roomsPerUser: 2 } });
    const [busy, host, friend] = [await person('busy'), await person('host'), await person('friend')];
    const rooms = [];
    for (const [owner, name] of [
      [host, 'one'],
      [host, 'two'],
      [friend, 'three'],
    ] as const) {
      rooms.push((await owner.call('room:create', { name, visibility: 'public' })).room);
    }

    await busy.call('room:join', { roomId: rooms[0]!.id });
    await busy.call('room:join', { roomId: rooms[1]!.id });
    const tooMany = { ok: false, error: { code: 'FORBIDDEN', message: 'you are in 2 rooms, the most allowed; leave one first' } };
    expect(await busy.request('room:join', { roomId: rooms[2]!.id })).toEqual(tooMany);
    expect(await busy.request('room:create', { name: 'four', visibility: 'public' })).toEqual(tooMany);
    expect(await busy.request('dm:open', { userId: friend.user.id })).toEqual(tooMany);

    const { body } = await api(server.url, busy.person.token)('/api/rooms');
    const joined = (body.rooms as Array<{ name: string; joined: boolean; memberCount: number }>).filter((r) => r.joined);
    expect(joined.map((r) => r.name).sort()).toEqual(['one', 'two']);
    expect((body.rooms as Array<{ name: string; memberCount: number }>).find((r) => r.name === 'three')!.memberCount).toBe(1);

    // Rejoining a room one is already in is not a new room.
    expect((await busy.request('room:join', { roomId: rooms[0]!.id })).ok).toBe(true);
    // Leaving makes room for another.
    await busy.call('room:leave', { roomId: rooms[1]!.id });
    expect((await busy.request('room:join', { roomId: rooms[2]!.id })).ok).toBe(true);
  });

  it('holds for members others add: a DM or an invitation to a full user is refused, and the user can still act', async () => {
    server = await startServer({ limits: { roomsPerUser: 3 } });
    const victim = await person('victim');
    const openers = [await person('opener'), await person('opener'), await person('opener')];
    for (const opener of openers) await opener.call('dm:open', { userId: victim.user.id });

    const full = {
      ok: false,
      error: { code: 'FORBIDDEN', message: 'that user is in as many rooms as allowed and cannot be added to another' },
    };
    const fifth = await person('opener');
    expect(await fifth.request('dm:open', { userId: victim.user.id })).toEqual(full);
    const { room } = await fifth.call('room:create', { name: 'lure', visibility: 'private' });
    expect(await fifth.request('room:invite', { roomId: room.id, userId: victim.user.id })).toEqual(full);

    // Nothing was added: the victim is in the three DMs only, with no invitation.
    const { body } = await api(server.url, victim.person.token)('/api/rooms');
    expect((body.rooms as Array<{ kind: string; joined: boolean }>).filter((r) => r.joined).map((r) => r.kind)).toEqual(['dm', 'dm', 'dm']);
    expect(victim.received('room:invited')).toEqual([]);
    // Leaving one DM gives the victim back a room of their own.
    await victim.call('room:leave', { roomId: (await openers[0]!.call('dm:open', { userId: victim.user.id })).room.id });
    expect((await victim.request('room:create', { name: 'mine', visibility: 'public' })).ok).toBe(true);
  });
});

describe('payload caps', () => {
  it('closes a socket that sends a packet over the size limit, storing nothing; the server goes on', async () => {
    server = await startServer();
    const [big, witness] = [await person('big'), await person('witness')];
    const { room } = await witness.call('room:create', { name: 'sizes', visibility: 'public' });
    await big.call('room:join', { roomId: room.id });

    const gone = disconnected(big.socket);
    big.socket.emit('message:send', { roomId: room.id, clientMsgId: 'huge', text: 'x'.repeat(100_000) }, () => undefined);
    expect(await gone).toMatch(/transport (close|error)/);

    const { messages } = await witness.call('message:history', { roomId: room.id });
    expect(messages).toEqual([]);
    const { message } = await witness.call('message:send', { roomId: room.id, clientMsgId: 'small', text: 'still fine' });
    expect(message.seq).toBe(1);
  });

  it('answers an HTTP body over the size limit with 413 PAYLOAD_TOO_LARGE', async () => {
    server = await startServer();
    const res = await api(server.url)('/api/auth/register', {
      method: 'POST',
      body: JSON.stringify({ username: 'big', password: 'x'.repeat(100_000) }),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
