import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, register, startServer, uniqueName, type TestServer } from '../support/harness.js';
import { DeliveryLog } from '../support/delivery/checker.js';
import { DeliveryClient } from '../support/delivery/delivery-client.js';
import { FlakyProxy, seededRandom } from '../support/delivery/flaky-proxy.js';
import { settle, storedMessages, verify } from '../support/delivery/scenario.js';

const CLIENTS = 5;
const MESSAGES = 500;

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
  it('loses nothing and duplicates nothing: 5 clients, 500 messages, connections cut and acks dropped at random', async () => {
    const seed = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
    // Retries count against the message rate limit: this suite sends as fast as it can on purpose.
    server = await startServer({ limits: { messagesPerMinute: 100_000 } });
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
    clients = people.map((person, i) => new DeliveryClient(`c${i}`, proxyUrl, person, roomIds, log));
    for (let i = 0; i < MESSAGES; i++) {
      clients[i % CLIENTS]!.send(roomIds[i % 2]!, `message ${i} from c${i % CLIENTS}`);
    }
    await Promise.all(clients.map((c) => c.until((x) => x.pending === 0, 60_000, 'sending everything')));
    proxy.heal();

    const stored = await storedMessages(server.storage, roomIds);
    const timedOut = await settle(clients, new Map([...stored].map(([roomId, messages]) => [roomId, messages.length])));
    const problems = verify(log, stored, clients, `flaky network (seed ${seed}): ${proxy.cuts} cuts, ${proxy.droppedAcks} acks dropped`);
    expect({ problems, timedOut }).toEqual({ problems: [], timedOut: undefined });
    expect(log.sends).toHaveLength(MESSAGES);
    expect([...stored.values()].flat()).toHaveLength(MESSAGES);
    // The faults happened: otherwise this test proves nothing.
    expect(proxy.cuts).toBeGreaterThan(0);
    expect(proxy.droppedAcks).toBeGreaterThan(0);
  });
});
