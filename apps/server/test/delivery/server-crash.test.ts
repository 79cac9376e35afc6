import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { dmRoomId } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import { connect, register, uniqueName } from '../support/harness.js';
import { DeliveryLog } from '../support/delivery/checker.js';
import { DeliveryClient } from '../support/delivery/delivery-client.js';
import { seededRandom } from '../support/delivery/flaky-proxy.js';
import { enqueueWorkload, lastRevsOver, settle, storedCount, storedRooms, verify } from '../support/delivery/scenario.js';
import { startProcess, type ServerProcess } from '../support/process.js';

const PER_CLIENT = 50;

let dataDir: string;
let running: ServerProcess | undefined;
let clients: DeliveryClient[] = [];
afterEach(async () => {
  for (const client of clients) client.close();
  clients = [];
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGKILL');
    await once(running.child, 'exit');
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a server crash', () => {
  it('SIGKILL while 3 clients send, edit, delete and react, restart on the same data: every ack stored once, every client at the stored state, retries landed once', async () => {
    const seed = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-crash-'));
    const env = {
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      LIMIT_MESSAGES_PER_MINUTE: '100000',
      LIMIT_EVENTS_PER_MINUTE: '100000',
    };
    running = await startProcess({ ...env, PORT: '0', LOG_LEVEL: 'info' });
    const { port, url } = running;

    const people = await Promise.all([0, 1, 2].map((i) => register(url, uniqueName(`crash${i}`))));
    const setup = await connect(url, people[0]!);
    const { room } = await setup.call('room:create', { name: 'crash', visibility: 'public' });
    const { room: dm } = await setup.call('dm:open', { userId: people[1]!.user.id });
    expect(dm.id).toBe(dmRoomId(people[0]!.user.id, people[1]!.user.id));
    for (const person of people.slice(1)) {
      const member = await connect(url, person);
      await member.call('room:join', { roomId: room.id });
      member.close();
    }
    setup.close();

    const log = new DeliveryLog();
    const roomsOf = [[room.id, dm.id], [room.id, dm.id], [room.id]];
    clients = people.map((person, i) => new DeliveryClient(`c${i}`, url, person, roomsOf[i]!, log, seededRandom(seed + 1 + i)));
    enqueueWorkload(clients, roomsOf, PER_CLIENT * 3, seededRandom(seed));

    // Kill it mid-stream: some sends acknowledged, many still queued or in flight.
    await log.whenAcked(30);
    running.child.kill('SIGKILL');
    await once(running.child, 'exit');
    const ackedBeforeCrash = log.acks.length + log.mutationAcks.length;
    expect(clients.reduce((n, c) => n + c.pending, 0)).toBeGreaterThan(0);

    running = await startProcess({ ...env, PORT: String(port), LOG_LEVEL: 'info' });
    await Promise.all(clients.map((c) => c.until((x) => x.pending === 0, 30_000, 'sending everything')));

    // A retry long after its ack, across the restart, still names the original message (in its current state).
    const first = log.acks.find((a) => a.client === 'c0')!;
    const late = await connect(running.url, people[0]!);
    const again = await late.call('message:send', { roomId: first.message.roomId, clientMsgId: first.clientMsgId, text: 'a retry' });
    expect(again.message).toMatchObject({ id: first.message.id, seq: first.message.seq, clientMsgId: first.clientMsgId });
    const timedOut = await settle(clients, await lastRevsOver(late, [room.id, dm.id]));
    late.close();

    running.child.kill('SIGTERM');
    await once(running.child, 'exit');
    const storage = createSqliteStorage(dataDir);
    const stored = await storedRooms(storage, [room.id, dm.id]);
    await storage.close();

    const problems = verify(log, stored, clients, `server crash (seed ${seed}): SIGKILL after ${ackedBeforeCrash} acks`);
    expect({ problems, timedOut }).toEqual({ problems: [], timedOut: undefined });
    expect(storedCount(stored)).toBe(log.sends.length - log.errors.length);
    for (const kind of ['edit', 'delete', 'react'] as const) expect(log.acknowledged(kind), kind).toBeGreaterThan(0);
    // Every client reconnected to the new process, which could not recover its sockets.
    for (const client of clients) expect(client.connections).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
