import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../../src/storage/postgres/index.js';
import { deployment, stopNode, type Deployment } from '../support/cluster.js';
import { connect, register, uniqueName } from '../support/harness.js';
import { TcpBalancer } from '../support/delivery/balancer.js';
import { DeliveryLog } from '../support/delivery/checker.js';
import { DeliveryClient } from '../support/delivery/delivery-client.js';
import { seededRandom } from '../support/delivery/flaky-proxy.js';
import { enqueueWorkload, lastRevs, settle, storedCount, storedRooms, verify } from '../support/delivery/scenario.js';
import { testDatabaseUrl } from '../support/postgres.js';
import { startProcess, type ServerProcess } from '../support/process.js';
import { testRedisUrl } from '../support/services.js';

const PER_CLIENT = 40;
let nodes: ServerProcess[] = [];
let clients: DeliveryClient[] = [];
let balancer: TcpBalancer | undefined;
let cluster: Deployment | undefined;

afterEach(async () => {
  for (const client of clients) client.close();
  await balancer?.close();
  for (const node of nodes) await stopNode(node);
  await cluster?.destroy();
  nodes = [];
  clients = [];
  balancer = undefined;
  cluster = undefined;
});

describe('a node goes away', () => {
  it.for(['SIGKILL', 'SIGTERM'] as const)(
    '%s one of two nodes while 3 clients send, edit, delete and react through a balancer: nothing lost, nothing twice, every client at the stored state',
    { timeout: 90_000 },
    async (signal, { skip }) => {
      const [databaseUrl, redisUrl] = [await testDatabaseUrl(), await testRedisUrl()];
      if (!databaseUrl || !redisUrl) return skip('PostgreSQL or Redis is not reachable');
      const seed = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
      cluster = deployment(databaseUrl, redisUrl, 'failover', { LIMIT_EVENTS_PER_MINUTE: '100000' });
      nodes.push(await startProcess(cluster.env));
      nodes.push(await startProcess(cluster.env));
      const [a, b] = [nodes[0]!, nodes[1]!];
      balancer = new TcpBalancer([a.port, b.port]);
      const url = await balancer.listen();

      const people = await Promise.all([0, 1, 2].map((i) => register(b.url, uniqueName(`fo${i}`))));
      const setup = await connect(b.url, people[0]!);
      const { room } = await setup.call('room:create', { name: 'failover', visibility: 'public' });
      for (const person of people.slice(1)) {
        const member = await connect(b.url, person);
        await member.call('room:join', { roomId: room.id });
        member.close();
      }
      setup.close();

      const log = new DeliveryLog();
      clients = people.map((person, i) => new DeliveryClient(`c${i}`, url, person, [room.id], log, seededRandom(seed + 1 + i)));
      await Promise.all(clients.map((c) => c.until((x) => x.connections > 0, 10_000, 'connecting')));
      enqueueWorkload(
        clients,
        clients.map(() => [room.id]),
        PER_CLIENT * 3,
        seededRandom(seed),
      );

      await log.whenAcked(30);
      // SIGKILL: the node dies. SIGTERM: it drains (stops accepting, disconnects its sockets, exits).
      a.child.kill(signal);
      await once(a.child, 'exit');
      const ackedBeforeKill = log.acks.length + log.mutationAcks.length;

      await Promise.all(clients.map((c) => c.until((x) => x.pending === 0, 30_000, 'sending everything')));
      const storage = await createPostgresStorage({ connectionString: databaseUrl, schema: cluster.schema });
      const stored = await storedRooms(storage, [room.id]);
      await storage.close();
      const timedOut = await settle(clients, lastRevs(stored));

      const problems = verify(log, stored, clients, `node failure (seed ${seed}): ${signal} after ${ackedBeforeKill} acks`);
      expect({ problems, timedOut }).toEqual({ problems: [], timedOut: undefined });
      expect(storedCount(stored)).toBe(log.sends.length - log.errors.length);
      for (const kind of ['edit', 'delete', 'react'] as const) expect(log.acknowledged(kind), kind).toBeGreaterThan(0);
    },
  );
});
