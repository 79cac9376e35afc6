import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../../src/storage/postgres/index.js';
import { connect, register, uniqueName } from '../support/harness.js';
import { TcpBalancer } from '../support/delivery/balancer.js';
import { DeliveryLog } from '../support/delivery/checker.js';
import { DeliveryClient } from '../support/delivery/delivery-client.js';
import { settle, storedMessages, verify } from '../support/delivery/scenario.js';
import { testDatabaseUrl } from '../support/postgres.js';
import { startProcess, type ServerProcess } from '../support/process.js';
import { testRedisUrl } from '../support/services.js';

const PER_CLIENT = 40;
let schema = '';
let nodes: ServerProcess[] = [];
let clients: DeliveryClient[] = [];
let balancer: TcpBalancer | undefined;
let databaseUrl: string | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  for (const client of clients) client.close();
  await balancer?.close();
  for (const node of nodes) {
    if (node.child.exitCode === null && node.child.signalCode === null) {
      node.child.kill('SIGTERM');
      await once(node.child, 'exit');
    }
  }
  if (databaseUrl) {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  nodes = [];
  clients = [];
  balancer = undefined;
});

describe('a node goes away', () => {
  it.for(['SIGKILL', 'SIGTERM'] as const)('%s one of two nodes while 3 clients send through a balancer: nothing lost, nothing twice', { timeout: 90_000 }, async (signal, { skip }) => {
    const redisUrl = await testRedisUrl();
    databaseUrl = await testDatabaseUrl();
    if (!databaseUrl || !redisUrl) return skip('PostgreSQL or Redis is not reachable');
    schema = `parley_failover_${randomBytes(4).toString('hex')}`;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-failover-'));
    const env = {
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      REDIS_URL: redisUrl,
      CLUSTER_NAME: schema,
      LIMIT_MESSAGES_PER_MINUTE: '100000',
      LIMIT_AUTH_ATTEMPTS_PER_IP: '100000',
    };
    nodes.push(await startProcess(env));
    nodes.push(await startProcess(env));
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
    clients = people.map((person, i) => new DeliveryClient(`c${i}`, url, person, [room.id], log));
    await Promise.all(clients.map((c) => c.until((x) => x.connections > 0, 10_000, 'connecting')));
    for (let n = 0; n < PER_CLIENT; n++) clients.forEach((client, i) => client.send(room.id, `c${i} says ${n}`));

    await log.whenAcked(30);
    // SIGKILL: the node dies. SIGTERM: it drains (stops accepting, disconnects its sockets, exits).
    a.child.kill(signal);
    await once(a.child, 'exit');
    const ackedBeforeKill = log.acks.length;

    await Promise.all(clients.map((c) => c.until((x) => x.pending === 0, 30_000, 'sending everything')));
    const timedOut = await settle(clients, new Map([[room.id, PER_CLIENT * 3]]));

    const storage = await createPostgresStorage({ connectionString: databaseUrl, schema });
    const stored = await storedMessages(storage, [room.id]);
    await storage.close();
    const problems = verify(log, stored, clients, `node failure: ${signal} after ${ackedBeforeKill} acks`);
    expect({ problems, timedOut }).toEqual({ problems: [], timedOut: undefined });
    expect(stored.get(room.id)).toHaveLength(PER_CLIENT * 3);
  });
});
