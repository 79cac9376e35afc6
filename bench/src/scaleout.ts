import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sessionIdOf } from '../../apps/server/src/domain/auth.service.js';
import { hashPassword } from '../../apps/server/src/domain/passwords.js';
import { createPostgresStorage } from '../../apps/server/src/storage/postgres/index.js';
import { parleyDriver } from './drivers.js';
import { seedUsers } from './parley-seed.js';
import { Population, type StepResult } from './population.js';
import { cpuMicrosOf, startServer, type RunningServer } from './server-process.js';

/** User + system CPU of every process with this command name, in microseconds. */
function cpuOfProcesses(command: string): number {
  let pids: string[];
  try {
    pids = execFileSync('pgrep', ['-x', command], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return 0; // none running
  }
  let micros = 0;
  for (const pid of pids) {
    try {
      micros += cpuMicrosOf(pid);
    } catch {
      /* exited meanwhile */
    }
  }
  return micros;
}

export interface ScaleOutResult {
  setup: string;
  nodes: number;
  /** CPU-seconds of every serving process (nodes, PostgreSQL, Redis) per 1,000 deliveries. */
  cpuSecondsPer1k: number;
  step: StepResult;
}

async function seedPostgres(databaseUrl: string, schema: string, count: number): Promise<string[]> {
  const storage = await createPostgresStorage({ connectionString: databaseUrl, schema });
  const passwordHash = await hashPassword('bench password');
  const now = new Date().toISOString();
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, count - i) }, async (_, k) => {
        const id = `u_bench${i + k}`;
        const token = randomBytes(32).toString('base64url');
        await storage.users.create({ id, username: `bench_${i + k}`, passwordHash, createdAt: now });
        await storage.sessions.create({ id: sessionIdOf(token), userId: id, createdAt: now, expiresAt: Date.now() + 86_400_000 });
        tokens[i + k] = token;
      }),
    );
  }
  await storage.close();
  return tokens;
}

/**
 * Scenario 6: the same load (rooms spread over every node, so most deliveries cross nodes) on
 * one embedded node, and on `nodes` nodes sharing PostgreSQL and Redis; CPU of every serving
 * process per 1,000 deliveries, and latency.
 */
export async function scaleOut(
  setup: 'sqlite' | 'postgres+redis',
  nodes: number,
  connections: number,
  roomSize: number,
  deliveriesPerSecond: number,
  ms: number,
  services: { databaseUrl: string; redisUrl: string },
): Promise<ScaleOutResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-scale-'));
  const schema = `parley_bench_${randomBytes(4).toString('hex')}`;
  const servers: RunningServer[] = [];
  let population: Population | undefined;
  try {
    let tokens: string[];
    let env: Record<string, string> = {};
    if (setup === 'sqlite') tokens = await seedUsers(dataDir, connections);
    else {
      tokens = await seedPostgres(services.databaseUrl, schema, connections);
      env = { DATABASE_URL: services.databaseUrl, DATABASE_SCHEMA: schema, REDIS_URL: services.redisUrl, CLUSTER_NAME: schema };
    }
    for (let n = 0; n < nodes; n++) servers.push(await startServer('Parley', dataDir, env));
    const shared = setup === 'sqlite' ? () => 0 : () => cpuOfProcesses('postgres') + cpuOfProcesses('redis-server');
    const served = {
      url: servers[0]!.url,
      urlFor: (index: number) => servers[index % servers.length]!.url,
      cpuMicros: () => servers.reduce((sum, s) => sum + s.cpuMicros(), 0) + shared(),
    };
    population = new Population(parleyDriver(tokens), served, connections, roomSize);
    await population.setup();
    const step = await population.step(deliveriesPerSecond / roomSize, ms);
    return { setup, nodes, cpuSecondsPer1k: step.cpuPerDelivery / 1000, step };
  } finally {
    population?.close();
    for (const server of servers) await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (setup !== 'sqlite') {
      const client = new pg.Client({ connectionString: services.databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }
}

/** PostgreSQL and Redis for scenario 6 (DATABASE_URL / REDIS_URL, or the local defaults), or why not. */
export async function scaleOutServices(): Promise<{ databaseUrl: string; redisUrl: string } | string> {
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  for (const url of [databaseUrl, redisUrl]) {
    const { hostname, port } = new URL(url);
    const reachable = await new Promise<boolean>((resolve) => {
      const socket = net.connect(Number(port || (url.startsWith('redis') ? 6379 : 5432)), hostname);
      socket.setTimeout(1_000);
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => (socket.destroy(), resolve(false)));
    });
    if (!reachable) return `${hostname}:${port} is not reachable`;
  }
  return { databaseUrl, redisUrl };
}
