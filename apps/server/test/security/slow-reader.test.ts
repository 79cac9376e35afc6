import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/edge/limits.js';
import { connect, register, uniqueName, type Client, type Person } from '../support/harness.js';
import { startProcess, type ServerProcess } from '../support/process.js';
import { RawSocketIo } from '../support/raw-socket.js';

/**
 * A client that stops reading must not grow the server without limit (issue 11, finding 1).
 * The server runs as its own process with its default buffer bound; mallory is a hand-written
 * Socket.IO client on a real WebSocket that pauses its TCP socket and answers heartbeats nobody
 * asked for (so the heartbeat never cuts it). Each message is 4,000 four-byte code points, so one
 * history page is 1.6 MB and a few dozen requests would queue far more than any bound.
 */

const LONG_TEXT = '😀'.repeat(4000);
const PAGE_BYTES = 100 * Buffer.byteLength(LONG_TEXT);
/** What the kernel may hold on loopback besides the server's own buffer (send buffer up to 4 MiB, receive window). */
const KERNEL_SLACK_BYTES = 8 * 1024 * 1024;

let server: ServerProcess;
let dataDir: string;
let alice: Client;
let bob: Client;
let roomId: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-slow-reader-'));
  server = await startProcess({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    LIMIT_MESSAGES_PER_MINUTE: '100000',
    LIMIT_EVENTS_PER_MINUTE: '100000',
    LIMIT_AUTH_ATTEMPTS_PER_IP: '100000',
  });
  [alice, bob] = await Promise.all([
    register(server.url, uniqueName('alice')).then((p) => connect(server.url, p)),
    register(server.url, uniqueName('bob')).then((p) => connect(server.url, p)),
  ]);
  roomId = (await alice.call('room:create', { name: 'long reads', visibility: 'public' })).room.id;
  await bob.call('room:join', { roomId });
  await sendLongMessages('seed', 100);
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

async function sendLongMessages(tag: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - start) }, (_, i) =>
        alice.call('message:send', { roomId, clientMsgId: `${tag}-${start + i}`, text: LONG_TEXT }),
      ),
    );
  }
}

/** Mallory in the room, connected by hand, and alice told of it (so she hears when mallory goes). */
async function mallorySignedIn(): Promise<{ mallory: RawSocketIo; person: Person; heartbeat: NodeJS.Timeout }> {
  const person = await register(server.url, uniqueName('mallory'));
  const mallory = await RawSocketIo.open(server.url);
  expect((await mallory.handshake({ token: person.token })).ok).toBe(true);
  const joined = alice.next('room:member-joined', (e) => e.user.id === person.user.id);
  expect((await mallory.call('room:join', { roomId })).ok).toBe(true);
  await joined;
  // Unrequested pongs keep the heartbeat from ever timing mallory out.
  const heartbeat = setInterval(() => mallory.pong(), 2_000);
  return { mallory, person, heartbeat };
}

function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

describe('a client that stops reading', () => {
  it('is cut off once its own unread answers pass the bound, and never queues what it asked for', async () => {
    const { mallory, person, heartbeat } = await mallorySignedIn();
    try {
      const rssBefore = rssBytes(server.child.pid!);
      const wentOffline = alice.next('presence:changed', (e) => e.userId === person.user.id && !e.online);
      mallory.stopReading();
      const requests = 60; // 60 pages of 1.6 MB: 96 MB asked for
      for (let i = 0; i < requests; i++) mallory.emit('message:history', { roomId, limit: 100 });

      await wentOffline;
      const rssAfter = rssBytes(server.child.pid!);
      mallory.resumeReading();
      await mallory.closedByServer();

      // What reached mallory is bounded by the server's buffer plus what the kernel held, far
      // below the pages asked for.
      expect(mallory.bytesReceived).toBeLessThan(DEFAULT_LIMITS.socketBufferBytes + KERNEL_SLACK_BYTES);
      expect(mallory.bytesReceived).toBeLessThan(requests * PAGE_BYTES);
      console.info(
        `slow reader: asked for ${((requests * PAGE_BYTES) / 2 ** 20).toFixed(0)} MiB, received ${(mallory.bytesReceived / 2 ** 20).toFixed(1)} MiB before the cut; ` +
          `server RSS ${(rssBefore / 2 ** 20).toFixed(0)} -> ${(rssAfter / 2 ** 20).toFixed(0)} MiB`,
      );
      // The room goes on for everyone else.
      const { message } = await alice.call('message:send', { roomId, clientMsgId: 'after-cut-1', text: 'still here' });
      await bob.waitFor('message:created', (m) => m.id === message.id);
    } finally {
      clearInterval(heartbeat);
      mallory.close();
    }
  }, 60_000);

  it("is cut off when a busy room's broadcasts pile up for it, while readers get every message", async () => {
    const { mallory, person, heartbeat } = await mallorySignedIn();
    try {
      const wentOffline = alice.next('presence:changed', (e) => e.userId === person.user.id && !e.online);
      mallory.stopReading();
      const since = bob.events.length;
      // 800 messages of 16 kB: 12.5 MiB broadcast, more than the bound and the kernel's buffers.
      await sendLongMessages('busy', 800);

      await wentOffline;
      mallory.resumeReading();
      await mallory.closedByServer();
      expect(mallory.bytesReceived).toBeLessThan(DEFAULT_LIMITS.socketBufferBytes + KERNEL_SLACK_BYTES);

      // Bob, who reads, got every one of them.
      await bob.waitFor('message:created', (m) => m.clientMsgId === 'busy-799', { since });
      const delivered = bob.received('message:created', (m) => m.clientMsgId.startsWith('busy-'));
      expect(new Set(delivered.map((m) => m.clientMsgId)).size).toBe(800);
    } finally {
      clearInterval(heartbeat);
      mallory.close();
    }
  }, 90_000);
});
