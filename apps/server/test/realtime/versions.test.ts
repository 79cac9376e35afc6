import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROTOCOL_VERSION } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readWebBuild } from '../../src/realtime/server-info.js';
import {
  Client,
  connect,
  connected,
  connectSocket,
  dropTransport,
  register,
  startServer,
  uniqueName,
  type Person,
  type TestServer,
} from '../support/harness.js';

/** Connects a person with exactly this handshake auth (besides the token); resolves once connected. */
async function connectWith(url: string, person: Person, auth: Record<string, unknown>): Promise<Client> {
  const client = new Client(connectSocket(url, { auth: { token: person.token, ...auth } }), person);
  await connected(client.socket);
  return client;
}

/** The connect_error a handshake with this auth gets; fails the test if it connects. */
async function refusal(url: string, auth: Record<string, unknown>): Promise<Error & { data?: any }> {
  const socket = connectSocket(url, { auth });
  try {
    await connected(socket);
  } catch (error) {
    return error as Error & { data?: any };
  } finally {
    socket.close();
  }
  throw new Error(`connected with ${JSON.stringify(auth)}`);
}

/** What the server keeps for a client's socket after the handshake. */
function serverData(server: TestServer, client: Client) {
  const socket = server.app.io.of('/').sockets.get(client.socket.id!);
  if (!socket) throw new Error('no server socket');
  return socket.data;
}

describe('protocol versions in the handshake', () => {
  let server: TestServer;
  let person: Person;
  const clients: Client[] = [];
  beforeAll(async () => {
    server = await startServer({ build: 'build-today' });
    person = await register(server.url, uniqueName('ver'));
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(() => server.close());

  it('lets a v1 client (no auth.protocol) and a v2 client share a room, each sending and receiving', async () => {
    const v1 = await connect(server.url, await register(server.url, uniqueName('bot')));
    const v2 = await connectWith(server.url, person, { protocol: PROTOCOL_VERSION, build: 'build-today' });
    clients.push(v1, v2);
    expect(serverData(server, v1).protocol).toBe(1);
    expect(serverData(server, v2).protocol).toBe(2);

    const { room } = await v2.call('room:create', { name: uniqueName('mixed'), visibility: 'public' });
    await v1.call('room:join', { roomId: room.id });
    const toV1 = v1.next('message:created', (m) => m.clientMsgId === 'from-v2');
    const { message: fromV2 } = await v2.call('message:send', { roomId: room.id, clientMsgId: 'from-v2', text: 'hello, bot' });
    expect(await toV1).toEqual(fromV2);
    const toV2 = v2.next('message:created', (m) => m.clientMsgId === 'from-v1');
    const { message: fromV1 } = await v1.call('message:send', { roomId: room.id, clientMsgId: 'from-v1', text: 'beep' });
    expect(await toV2).toEqual(fromV1);
    expect((await v1.call('message:history', { roomId: room.id })).messages.map((m) => m.text)).toEqual(['hello, bot', 'beep']);
  });

  it('accepts protocol 1 said explicitly', async () => {
    const client = await connectWith(server.url, person, { protocol: 1 });
    clients.push(client);
    expect(serverData(server, client).protocol).toBe(1);
  });

  it('refuses every protocol it does not speak with UNSUPPORTED_PROTOCOL, saying which it does', async () => {
    for (const protocol of [0, 3, 99, -1, 1.5, 'x', '2', null, true, [2], { v: 2 }]) {
      const error = await refusal(server.url, { token: person.token, protocol });
      expect(error.message, `protocol ${JSON.stringify(protocol)}`).toBe('UNSUPPORTED_PROTOCOL');
      expect(error.data.supported).toEqual([1, 2]);
      expect(error.data.message).toMatch(/protocol versions 1, 2/);
    }
  });

  it('refuses an unsupported protocol before authenticating, and echoes nothing the client sent', async () => {
    const marker = '<img src=x onerror=alert(1)>';
    for (const auth of [{ protocol: marker }, { protocol: 99, token: 'not-a-session' }, { protocol: 99 }]) {
      const error = await refusal(server.url, auth);
      expect(error.message).toBe('UNSUPPORTED_PROTOCOL');
      expect(JSON.stringify(error.data)).not.toContain('img');
      expect(JSON.stringify(error.data)).not.toContain('not-a-session');
    }
    // A supported protocol without a session is still just unauthorized.
    expect((await refusal(server.url, { protocol: 2 })).message).toBe('UNAUTHORIZED');
  });

  it('ignores an odd or oversized auth.build: it is only logged', async () => {
    for (const build of ['x'.repeat(10_000), 42, { id: 'b' }, '<b>']) {
      const client = await connectWith(server.url, person, { protocol: 2, build });
      clients.push(client);
      expect(await client.waitFor('server:info')).toEqual({ protocol: PROTOCOL_VERSION, build: 'build-today' });
    }
  });

  it('tells every socket, v1 or v2, the protocol and build it serves', async () => {
    const v1 = await connect(server.url, person);
    const v2 = await connectWith(server.url, person, { protocol: 2, build: 'build-yesterday' });
    clients.push(v1, v2);
    for (const client of [v1, v2]) {
      expect(await client.waitFor('server:info')).toEqual({ protocol: PROTOCOL_VERSION, build: 'build-today' });
      expect(client.received('server:info')).toHaveLength(1);
    }
  });

  it('tells a recovered socket again', async () => {
    const client = await connectWith(server.url, person, { protocol: 2 });
    const other = await connect(server.url, await register(server.url, uniqueName('peer')));
    clients.push(client, other);
    await client.waitFor('server:info');
    // A broadcast received gives the socket an offset to resume from.
    const { room } = await client.call('room:create', { name: uniqueName('recover'), visibility: 'public' });
    const heard = client.next('room:member-joined');
    await other.call('room:join', { roomId: room.id });
    await heard;

    await dropTransport(server, client);
    const again = client.next('server:info');
    client.socket.connect();
    await connected(client.socket);
    expect(client.socket.recovered).toBe(true);
    expect(await again).toEqual({ protocol: PROTOCOL_VERSION, build: 'build-today' });
    expect(client.received('server:info')).toHaveLength(2);
    expect(serverData(server, client).protocol).toBe(2);
  });

  it('does not restore a dropped socket that comes back speaking an unsupported protocol', async () => {
    const client = await connectWith(server.url, person, { protocol: 2 });
    clients.push(client);
    const { room } = await client.call('room:create', { name: uniqueName('gone'), visibility: 'public' });
    const other = await connect(server.url, await register(server.url, uniqueName('peer')));
    clients.push(other);
    const heard = client.next('room:member-joined');
    await other.call('room:join', { roomId: room.id });
    await heard;

    const packets = await dropTransport(server, client);
    await other.call('message:send', { roomId: room.id, clientMsgId: 'missed', text: 'while away' });
    client.socket.auth = { token: person.token, protocol: 99 };
    client.socket.connect();
    await expect(connected(client.socket)).rejects.toThrow('UNSUPPORTED_PROTOCOL');
    expect(packets.map((p) => p.type)).toEqual([4]); // CONNECT_ERROR, and no missed packet before it
  });
});

describe('the build id in server:info', () => {
  let dist: string;
  let server: TestServer | undefined;
  beforeAll(() => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-dist-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    fs.rmSync(dist, { recursive: true, force: true });
    fs.mkdirSync(dist);
  });

  function writeDist(files: Record<string, string>) {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dist, name), text);
  }

  it('is the id the web build wrote beside the index.html it serves', async () => {
    writeDist({ 'index.html': '<!doctype html><title>Parley</title>', 'build.json': JSON.stringify({ build: 'a1b2c3d4e5f6' }) });
    server = await startServer({ webDist: dist });
    const person = await register(server.url, uniqueName('web'));
    const client = await connectWith(server.url, person, { protocol: 2 });
    try {
      expect(await client.waitFor('server:info')).toEqual({ protocol: PROTOCOL_VERSION, build: 'a1b2c3d4e5f6' });
    } finally {
      client.close();
    }
  });

  it('is null when no web app is served', async () => {
    server = await startServer();
    const client = await connect(server.url, await register(server.url, uniqueName('api')));
    try {
      expect(await client.waitFor('server:info')).toEqual({ protocol: PROTOCOL_VERSION, build: null });
    } finally {
      client.close();
    }
  });

  it('is read as null when the dist has no index.html, no build.json or an invalid one', () => {
    expect(readWebBuild(undefined)).toBeNull();
    expect(readWebBuild(path.join(dist, 'missing'))).toBeNull();
    writeDist({ 'build.json': JSON.stringify({ build: 'abc' }) });
    expect(readWebBuild(dist)).toBeNull(); // nothing served
    writeDist({ 'index.html': '<!doctype html>' });
    expect(readWebBuild(dist)).toBe('abc');
    for (const text of [
      'not json',
      '{}',
      JSON.stringify({ build: 7 }),
      JSON.stringify({ build: '<script>' }),
      JSON.stringify({ build: 'x'.repeat(65) }),
    ]) {
      writeDist({ 'build.json': text });
      expect(readWebBuild(dist), text).toBeNull();
    }
    fs.rmSync(path.join(dist, 'build.json'));
    expect(readWebBuild(dist)).toBeNull();
  });
});
