import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, register, uniqueName, type Client, type Person } from '../support/harness.js';
import { startProcess, type ServerProcess } from '../support/process.js';
import { RawSocketIo } from '../support/raw-socket.js';

/**
 * Connection state recovery hands a dropped socket's rooms and missed packets back to whoever
 * presents its `pid` and `offset` (issue 11, finding 2), unless the server checks who asks. The
 * server runs as its own process; bob's socket drops with a private room and a DM; mallory
 * presents bob's pid and offset by hand, with her own token, with none, and bob's second login
 * tries too. Only bob's own login gets the socket back.
 */

let server: ServerProcess;
let dataDir: string;
let alice: Client;
let bob: Client;
let bobPerson: Person;
let mallory: Person;
let privateRoomId: string;
let dmId: string;
let victim: { pid: string; offset: string };

/** socket.io-client keeps the recovery state in private fields; this test needs them by design. */
function recoveryState(client: Client): { pid: string; offset: string } {
  const socket = client.socket as unknown as { _pid?: string; _lastOffset?: string };
  if (!socket._pid || !socket._lastOffset) throw new Error('the socket has no recovery state');
  return { pid: socket._pid, offset: socket._lastOffset };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-hijack-'));
  server = await startProcess({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  const [a, b, m] = await Promise.all(['alice', 'bob', 'mallory'].map((name) => register(server.url, uniqueName(name))));
  bobPerson = b!;
  mallory = m!;
  [alice, bob] = await Promise.all([connect(server.url, a!), connect(server.url, bobPerson)]);

  privateRoomId = (await alice.call('room:create', { name: 'secrets', visibility: 'private' })).room.id;
  await alice.call('room:invite', { roomId: privateRoomId, userId: bobPerson.user.id });
  const joined = alice.next('room:member-joined', (e) => e.user.id === bobPerson.user.id);
  await bob.call('room:join', { roomId: privateRoomId });
  await joined;
  dmId = (await alice.call('dm:open', { userId: bobPerson.user.id })).room.id;
  // A broadcast bob has seen gives his socket an offset to resume from.
  const { message } = await alice.call('message:send', { roomId: privateRoomId, clientMsgId: 'seen', text: 'bob saw this' });
  await bob.waitFor('message:created', (m) => m.id === message.id);
  victim = recoveryState(bob);

  // Bob's network drops (no disconnect packet, so the server keeps his session for recovery).
  const offline = alice.next('presence:changed', (e) => e.userId === bobPerson.user.id && !e.online);
  bob.socket.io.engine.close();
  await offline;
  await alice.call('message:send', { roomId: privateRoomId, clientMsgId: 'missed-1', text: 'private: the launch code is 0000' });
  await alice.call('message:send', { roomId: dmId, clientMsgId: 'missed-2', text: 'dm: just between us' });
}, 60_000);

afterAll(async () => {
  alice?.close();
  bob?.close();
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Everything a raw client received that mentions the private room or the DM. */
function leaked(client: RawSocketIo): string[] {
  return client.packets.map((p) => p.text).filter((text) => text.includes(privateRoomId) || text.includes(dmId));
}

/** A round trip on the raw socket: anything the server wrote to it before this answer has arrived. */
async function roundTrip(client: RawSocketIo): Promise<void> {
  expect((await client.call('presence:get', { userIds: [mallory.user.id] })).ok).toBe(true);
}

describe('connection state recovery is only for the login that owned the socket', () => {
  it('gives another user presenting the pid and offset a new socket: no missed or later messages', async () => {
    const raw = await RawSocketIo.open(server.url);
    try {
      const answer = await raw.handshake({ token: mallory.token, ...victim });
      expect(answer.ok).toBe(true);
      expect(answer.data.pid).not.toBe(victim.pid);
      await roundTrip(raw);
      expect(leaked(raw)).toEqual([]);

      // Live messages of bob's rooms do not reach her either.
      await alice.call('message:send', { roomId: privateRoomId, clientMsgId: 'live-1', text: 'private: later news' });
      await alice.call('message:send', { roomId: dmId, clientMsgId: 'live-2', text: 'dm: later news' });
      await roundTrip(raw);
      expect(leaked(raw)).toEqual([]);
    } finally {
      raw.close();
    }
  });

  it('writes nothing but the refusal to a handshake without credentials', async () => {
    const raw = await RawSocketIo.open(server.url);
    try {
      const answer = await raw.handshake({ ...victim });
      expect(answer).toEqual({ ok: false, data: { message: 'UNAUTHORIZED' } });
      expect(raw.packets.map((p) => p.text.slice(0, 2))).toEqual(['0{', '44']);
    } finally {
      raw.close();
    }
  });

  it('does not hand the socket to another login of the same user', async () => {
    const secondLogin = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: bobPerson.user.username, password: 'correct horse' }),
    }).then((res) => res.json() as Promise<Person>);
    const raw = await RawSocketIo.open(server.url);
    try {
      const answer = await raw.handshake({ token: secondLogin.token, ...victim });
      expect(answer.ok).toBe(true);
      expect(answer.data.pid).not.toBe(victim.pid);
      // Connected as new: no missed packets replayed (bob's new socket catches up from history instead).
      const firstEvents = raw.packets.slice(
        0,
        raw.packets.findIndex((p) => p.text.startsWith('40')),
      );
      expect(firstEvents.filter((p) => p.text.startsWith('42'))).toEqual([]);
    } finally {
      raw.close();
    }
  });

  it('still restores the socket to bob himself, with everything he missed', async () => {
    const raw = await RawSocketIo.open(server.url);
    try {
      const answer = await raw.handshake({ token: bobPerson.token, ...victim });
      expect(answer).toMatchObject({ ok: true, data: { pid: victim.pid } });
      const texts = raw
        .events()
        .filter(([name]) => name === 'message:created')
        .map(([, m]) => m.text);
      expect(texts).toEqual(expect.arrayContaining(['private: the launch code is 0000', 'dm: just between us']));
    } finally {
      raw.close();
    }
  });
});
