import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChangeMix } from './changes.js';
import { baselineDrivers, parleyDriver, type Driver } from './drivers.js';
import { EioSocket } from './eio.js';
import { seedHistory, seedUsers } from './parley-seed.js';
import { Population, type StepResult } from './population.js';
import { startServer, type ServerName } from './server-process.js';
import { percentile, slope } from './stats.js';

export const P99_LIMIT_MS = 50;

/** A fresh server (fresh data folder) and its driver; Parley gets `users` seeded accounts. */
export async function launch(name: ServerName, users: number, env: Record<string, string> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-bench-${name}-`));
  let driver: Driver;
  if (name === 'Parley') driver = parleyDriver(await seedUsers(dataDir, users));
  else driver = baselineDrivers[name];
  const server = await startServer(name, dataDir, env);
  return {
    server,
    driver,
    dataDir,
    stop: async () => {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface FanoutResult {
  server: ServerName;
  roomSize: number;
  /** Deliveries/s at the knee: the highest step with p99 <= 50 ms and every delivery arriving. */
  knee: number;
  cpuPerDeliveryAtKnee: number;
  curve: StepResult[];
  invalidSteps: number;
}

/** Ramps the offered rate geometrically until p99 > 50 ms or reach < 1. */
export async function fanout(
  name: ServerName,
  connections: number,
  roomSize: number,
  opts: { startDeliveries: number; factor: number; stepMs: number; maxDeliveries: number },
): Promise<FanoutResult> {
  const run = await launch(name, connections);
  const population = new Population(run.driver, run.server, connections, roomSize);
  const curve: StepResult[] = [];
  let invalidSteps = 0;
  try {
    await population.setup();
    const fails = (r: StepResult) => r.p99 > P99_LIMIT_MS || r.reach < 1;
    for (let offered = opts.startDeliveries; offered <= opts.maxDeliveries; offered *= opts.factor) {
      let result = await population.step(offered / roomSize, opts.stepMs);
      // These machines are shared: one stalled step is not a knee. Repeat a failing step once.
      if (fails(result)) result = await population.step(offered / roomSize, opts.stepMs);
      curve.push(result);
      if (!result.valid) invalidSteps++;
      if (fails(result)) break;
    }
  } finally {
    population.close();
    await run.stop();
  }
  const passing = curve.filter((s) => s.valid && s.p99 <= P99_LIMIT_MS && s.reach >= 1);
  const best = passing.at(-1);
  return {
    server: name,
    roomSize,
    knee: best?.achieved ?? 0,
    cpuPerDeliveryAtKnee: best?.cpuPerDelivery ?? Number.NaN,
    curve,
    invalidSteps,
  };
}

/**
 * Latency, CPU per delivery and ack latency at one fixed rate. With a change mix (Parley only),
 * that share of the operations are edits and reaction toggles, each delivered to the room like a send.
 */
export async function fixedRate(
  name: ServerName,
  connections: number,
  roomSize: number,
  deliveriesPerSecond: number,
  ms: number,
  mix?: ChangeMix,
) {
  const run = await launch(name, connections);
  const population = new Population(run.driver, run.server, connections, roomSize, mix);
  try {
    await population.setup();
    return { server: name, roomSize, ...(await population.step(deliveriesPerSecond / roomSize, ms)) };
  } finally {
    population.close();
    await run.stop();
  }
}

/** RSS slope per idle connection, after GC, over the given connection counts. */
export async function memoryPerConnection(name: ServerName, levels: number[]) {
  const run = await launch(name, 1);
  const sockets: Array<{ close(): void }> = [];
  const points: Array<[number, number]> = [];
  try {
    points.push([0, await run.server.rssAfterGc()]);
    for (const level of levels) {
      while (sockets.length < level) {
        const batch = [];
        for (let i = sockets.length; i < Math.min(level, sockets.length + 200); i++)
          batch.push(run.driver.connect(run.server.url, 0, () => undefined));
        sockets.push(...(await Promise.all(batch)));
      }
      points.push([level, await run.server.rssAfterGc()]);
    }
  } finally {
    for (const s of sockets) s.close();
    await run.stop();
  }
  return { server: name, kibPerConnection: slope(points.slice(1)), points };
}

/**
 * p50/p99 of a 50-message page at a random point of the largest room, by keyset, in a store of
 * rooms x perRoom messages: over the socket (`message:history`) and over HTTP.
 */
export async function historyPages(rooms: number, perRoom: number, samples: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-history-'));
  const roomIds = seedHistory(dataDir, rooms, perRoom);
  const [token] = await seedUsers(dataDir, 1);
  const server = await startServer('Parley', dataDir);
  const roomId = roomIds[0]!;
  const randomBefore = () => 51 + Math.floor(Math.random() * (perRoom - 50));
  const socketTimes: number[] = [];
  const httpTimes: number[] = [];
  try {
    const socket = await EioSocket.open(server.url, { token }, () => undefined);
    for (let i = 0; i < samples + 20; i++) {
      const started = performance.now();
      const [ack] = (await socket.emitWithAck('message:history', { roomId, before: randomBefore(), limit: 50 })) as [
        { ok: boolean; data: { messages: unknown[] } },
      ];
      if (!ack.ok || ack.data.messages.length !== 50) throw new Error('history page was not 50 messages');
      if (i >= 20) socketTimes.push(performance.now() - started);
    }
    socket.close();
    const headers = { authorization: `Bearer ${token}` };
    for (let i = 0; i < samples + 20; i++) {
      const started = performance.now();
      const res = await fetch(`${server.url}/api/rooms/${roomId}/messages?before=${randomBefore()}&limit=50`, { headers });
      const body = (await res.json()) as { messages: unknown[] };
      if (body.messages.length !== 50) throw new Error('history page was not 50 messages');
      if (i >= 20) httpTimes.push(performance.now() - started);
    }
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    totalMessages: rooms * perRoom,
    roomMessages: perRoom,
    p50: percentile(socketTimes, 50),
    p99: percentile(socketTimes, 99),
    httpP50: percentile(httpTimes, 50),
    httpP99: percentile(httpTimes, 99),
  };
}
