import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, register, startServer, uniqueName, type TestServer } from '../support/harness.js';
import { DeliveryLog } from '../support/delivery/checker.js';
import { DeliveryClient } from '../support/delivery/delivery-client.js';
import { FlakyProxy, seededRandom } from '../support/delivery/flaky-proxy.js';
import { enqueueWorkload, lastRevs, settle, storedCount, storedRooms, verify } from '../support/delivery/scenario.js';

const CLIENTS = 5;
const OPERATIONS = 500;

let server: TestServer | undefined;
let proxy: FlakyProxy | undefined;
let clients: DeliveryClient[] = [];
afterEach(async () => {
  for (const client of clients) client.close();
  clients = [];
  await proxy?.close();
  await server?.close();
});

describe('a flaky network', () => {
  it('loses nothing and duplicates nothing: 5 clients, 500 sends, edits, deletes and reactions, connections cut and acks dropped at random', async () => {
    const seed = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
    // Retries and catch-ups count against the rate limits: this suite works as fast as it can on purpose.
    server = await startServer({ limits: { messagesPerMinute: 100_000, eventsPerMinute: 100_000 } });
    const { port } = server.app.httpServer.address() as AddressInfo;
    proxy = new FlakyProxy({ host: '127.0.0.1', port }, { lifetimeMs: [150, 900], dropAckProbability: 0.05, random: seededRandom(seed) });
    const proxyUrl = await proxy.listen();

    // Setup goes straight to the server; only the clients under test go through the proxy.
    const people = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => register(server!.url, uniqueName(`flaky${i}`))));
    const owner = await connect(server.url, people[0]!);
    const roomIds: string[] = [];
    for (const name of ['flaky-a', 'flaky-b']) {
      const { room } = await owner.call('room:create', { name, visibility: 'public' });
      roomIds.push(room.id);
    }
    for (const person of people.slice(1)) {
      const member = await connect(server.url, person);
      for (const roomId of roomIds) await member.call('room:join', { roomId });
      member.close();
    }
    owner.close();

    const log = new DeliveryLog();
    const random = seededRandom(seed + 1);
    // A third of the reconnections are not recovered: those clients catch up with message:changes.
    clients = people.map(
      (person, i) => new DeliveryClient(`c${i}`, proxyUrl, person, roomIds, log, seededRandom(seed + 2 + i), { unrecoveredShare: 0.3 }),
    );
    enqueueWorkload(
      clients,
      clients.map(() => roomIds),
      OPERATIONS,
      random,
    );
    await Promise.all(clients.map((c) => c.until((x) => x.pending === 0, 60_000, 'sending everything')));
    proxy.heal();

    const stored = await storedRooms(server.storage, roomIds);
    const timedOut = await settle(clients, lastRevs(stored));
    const problems = verify(log, stored, clients, `flaky network (seed ${seed}): ${proxy.cuts} cuts, ${proxy.droppedAcks} acks dropped`);
    expect({ problems, timedOut }).toEqual({ problems: [], timedOut: undefined });
    expect(log.sends.length + log.mutations.length + log.skipped.length).toBe(OPERATIONS);
    expect(storedCount(stored)).toBe(log.sends.length - log.errors.length);
    // The faults happened and every kind of change was made: otherwise this test proves nothing.
    expect(proxy.cuts).toBeGreaterThan(0);
    expect(proxy.droppedAcks).toBeGreaterThan(0);
    expect(clients.some((c) => c.connections - c.recoveries > 1)).toBe(true); // a reconnection caught up
    for (const kind of ['edit', 'delete', 'react'] as const) expect(log.acknowledged(kind), kind).toBeGreaterThan(0);
    expect(log.acks.filter((a) => a.message.threadRootId !== null).length).toBeGreaterThan(0);
  });
});
