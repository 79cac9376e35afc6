import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../../src/storage/postgres/index.js';
import { deployment, stopNode, type Deployment } from '../support/cluster.js';
import { connect, register, uniqueName } from '../support/harness.js';
import { DeliveryLog } from '../support/delivery/checker.js';
import { DeliveryClient } from '../support/delivery/delivery-client.js';
import { settle, storedRooms, verify } from '../support/delivery/scenario.js';
import { testDatabaseUrl } from '../support/postgres.js';
import { startProcess, type ServerProcess } from '../support/process.js';
import { testRedisUrl } from '../support/services.js';

/**
 * Dependencies that go away and come back. Each test gets its own Redis (a redis-server it can
 * stop without disturbing other suites) or its own door to PostgreSQL (a TCP proxy it can close:
 * to Parley that is PostgreSQL going down, without stopping the machine's shared server).
 */

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A redis-server of this test's own, on a fixed port so it can be restarted in place. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'pipe',
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  return child;
}

/** A TCP door to PostgreSQL that the test can shut (every connection cut, new ones refused) and open again. */
class Door {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      this.sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async shut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}

const readyStatus = (node: ServerProcess) => fetch(`${node.url}/readyz`).then((res) => res.status);

/** A deployment of this test's own, taken down after it. */
function ownDeployment(databaseUrl: string, redisUrl: string, env: Record<string, string> = {}): Deployment {
  const cluster = deployment(databaseUrl, redisUrl, 'outage', env);
  cleanups.push(() => cluster.destroy());
  return cluster;
}

async function startNode(env: Record<string, string>): Promise<ServerProcess> {
  const node = await startProcess(env);
  cleanups.push(() => stopNode(node));
  return node;
}

/** Two people in a public room, each on their own node (or the same one), as delivery clients. */
async function conversation(log: DeliveryLog, nodeA: ServerProcess, nodeB: ServerProcess) {
  const [alice, bob] = await Promise.all([register(nodeA.url, uniqueName('alice')), register(nodeA.url, uniqueName('bob'))]);
  const setup = await connect(nodeA.url, alice);
  const { room } = await setup.call('room:create', { name: 'outage', visibility: 'public' });
  const joiner = await connect(nodeB.url, bob);
  await joiner.call('room:join', { roomId: room.id });
  setup.close();
  joiner.close();
  const clients = [
    new DeliveryClient('alice', nodeA.url, alice, [room.id], log),
    new DeliveryClient('bob', nodeB.url, bob, [room.id], log),
  ];
  cleanups.push(() => clients.forEach((c) => c.close()));
  await Promise.all(clients.map((c) => c.until((x) => x.connections > 0, 10_000, 'connecting')));
  return { room, clients };
}

describe('outages', () => {
  it('Redis restarts mid-conversation: no crash, /readyz follows it, the nodes resubscribe, clients catch up', async ({ skip }) => {
    const databaseUrl = await testDatabaseUrl();
    if (!databaseUrl || !(await testRedisUrl())) return skip('PostgreSQL or Redis is not reachable');
    const port = await freePort();
    let redis = await startRedis(port);
    cleanups.push(() => void redis.kill('SIGKILL'));
    const { env, schema } = ownDeployment(databaseUrl, `redis://127.0.0.1:${port}`);
    const [a, b] = [await startNode(env), await startNode(env)];

    const log = new DeliveryLog();
    const { room, clients } = await conversation(log, a, b);
    const [alice, bob] = clients as [DeliveryClient, DeliveryClient];
    alice.send(room.id, 'before');
    await bob.until((c) => c.holds(room.id, 1), 10_000, 'hearing "before"');

    redis.kill('SIGTERM');
    await once(redis, 'exit');
    await expect.poll(() => readyStatus(a), { timeout: 10_000 }).toBe(503);
    // Storage is fine: sends are stored and acknowledged; only the cross-node broadcast waits.
    alice.send(room.id, 'during');
    await alice.until((c) => c.pending === 0, 10_000, 'storing "during"');

    redis = await startRedis(port);
    await expect.poll(() => readyStatus(a), { timeout: 15_000 }).toBe(200);
    await expect.poll(() => readyStatus(b), { timeout: 15_000 }).toBe(200);
    // Broadcasts cross again, and bob's gap (if "during" never reached him) is fetched.
    alice.send(room.id, 'after');
    bob.send(room.id, 'bob after');
    const timedOut = await settle(clients, new Map([[room.id, 4]]), 20_000);

    const storage = await createPostgresStorage({ connectionString: databaseUrl, schema });
    const stored = await storedRooms(storage, [room.id]);
    await storage.close();
    expect({ problems: verify(log, stored, clients, 'redis restart'), timedOut }).toEqual({ problems: [], timedOut: undefined });
    for (const node of [a, b]) expect(node.child.exitCode).toBeNull();
  }, 60_000);

  it('PostgreSQL goes away: sends answer UNAVAILABLE and nothing is acknowledged, /readyz is 503; everything resumes when it returns', async ({
    skip,
  }) => {
    const databaseUrl = await testDatabaseUrl();
    const redisUrl = await testRedisUrl();
    if (!databaseUrl || !redisUrl) return skip('PostgreSQL or Redis is not reachable');
    const target = new URL(databaseUrl);
    const door = new Door(await freePort(), { host: target.hostname, port: Number(target.port || 5432) });
    await door.open();
    cleanups.push(() => door.shut());
    const viaDoor = new URL(databaseUrl);
    viaDoor.port = String(door.port);
    const { env, schema } = ownDeployment(databaseUrl, redisUrl, { DATABASE_URL: viaDoor.toString() });
    const node = await startNode(env);

    const log = new DeliveryLog();
    const { room, clients } = await conversation(log, node, node);
    const [alice, bob] = clients as [DeliveryClient, DeliveryClient];
    alice.send(room.id, 'before');
    await bob.until((c) => c.holds(room.id, 1), 10_000, 'hearing "before"');

    await door.shut();
    await expect.poll(() => readyStatus(node), { timeout: 10_000 }).toBe(503);
    const acksBefore = log.acks.length;
    alice.send(room.id, 'during the outage');
    await alice.until((c) => c.unavailable >= 3, 15_000, 'being told UNAVAILABLE');
    expect(log.acks.length).toBe(acksBefore); // nothing acknowledged while nothing can be stored
    expect(bob.holds(room.id, 2)).toBe(false);

    await door.open();
    await expect.poll(() => readyStatus(node), { timeout: 15_000 }).toBe(200);
    const timedOut = await settle(clients, new Map([[room.id, 2]]), 20_000);

    const storage = await createPostgresStorage({ connectionString: databaseUrl, schema });
    const stored = await storedRooms(storage, [room.id]);
    await storage.close();
    expect({ problems: verify(log, stored, clients, 'postgres outage'), timedOut }).toEqual({ problems: [], timedOut: undefined });
    expect(stored.get(room.id)!.messages.map((m) => m.text)).toEqual(['before', 'during the outage']);
    expect(node.child.exitCode).toBeNull();
  }, 60_000);
});
