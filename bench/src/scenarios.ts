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
  /** Deliveries/s at the knee: the highest valid step with p99 <= 50 ms and every delivery arriving. */
  knee: number;
  /**
   * The ramp did not see the server's limit: the step after the knee was invalid (the generator's
   * core above 90%), or the ramp ended without a failing step. The knee is then a lower bound.
   */
  generatorLimited: boolean;
  cpuPerDeliveryAtKnee: number;
  /** The fixed-rate step measured on the same server before the ramp, if one was asked for. */
  fixed?: StepResult & { deliveriesPerSecond: number };
  curve: StepResult[];
  invalidSteps: number;
}

export interface RampOptions {
  startDeliveries: number;
  factor: number;
  stepMs: number;
  maxDeliveries: number;
}

/** Latency and CPU at one fixed rate, after a warm-up at that rate (discarded). */
export interface FixedOptions {
  deliveriesPerSecond: number;
  ms: number;
  warmMs: number;
}

const failing = (r: StepResult) => r.p99 > P99_LIMIT_MS || r.reach < 1;

/**
 * The knee of a ramp: the last valid passing step. It is generator-limited when the server's limit
 * was not seen: the step after it was invalid (the generator, not the server, may have failed or
 * hidden a higher knee), or there is no step after it (the ramp ran out without failing).
 */
export function kneeOf(curve: StepResult[]): { knee: number; cpuPerDelivery: number; generatorLimited: boolean } {
  let best = -1;
  for (let i = 0; i < curve.length; i++) if (curve[i]!.valid && !failing(curve[i]!)) best = i;
  const after = curve[best + 1];
  return {
    knee: best >= 0 ? curve[best]!.achieved : 0,
    cpuPerDelivery: best >= 0 ? curve[best]!.cpuPerDelivery : Number.NaN,
    generatorLimited: after === undefined || !after.valid,
  };
}

/**
 * On one fresh server: optionally a fixed-rate step first (warm-up, then measured), then the
 * offered rate ramps geometrically until p99 > 50 ms or reach < 1.
 */
export async function fanout(
  name: ServerName,
  connections: number,
  roomSize: number,
  opts: RampOptions,
  fixedOpts?: FixedOptions,
): Promise<FanoutResult> {
  const run = await launch(name, connections);
  const population = new Population(run.driver, run.server, connections, roomSize);
  const curve: StepResult[] = [];
  let fixed: FanoutResult['fixed'];
  let invalidSteps = 0;
  try {
    await population.setup();
    if (fixedOpts) {
      const perSecond = fixedOpts.deliveriesPerSecond / roomSize;
      await population.step(perSecond, fixedOpts.warmMs);
      fixed = { deliveriesPerSecond: fixedOpts.deliveriesPerSecond, ...(await population.step(perSecond, fixedOpts.ms)) };
      await new Promise((r) => setTimeout(r, 300));
    }
    for (let offered = opts.startDeliveries; offered <= opts.maxDeliveries; offered *= opts.factor) {
      let result = await population.step(offered / roomSize, opts.stepMs);
      // These machines are shared: one stalled step is not a knee. Repeat a failing step once.
      if (failing(result)) result = await population.step(offered / roomSize, opts.stepMs);
      curve.push(result);
      if (!result.valid) invalidSteps++;
      if (failing(result)) break;
    }
  } finally {
    population.close();
    await run.stop();
  }
  const knee = kneeOf(curve);
  return {
    server: name,
    roomSize,
    knee: knee.knee,
    generatorLimited: knee.generatorLimited,
    cpuPerDeliveryAtKnee: knee.cpuPerDelivery,
    ...(fixed && { fixed }),
    curve,
    invalidSteps,
  };
}

/**
 * Latency, CPU per delivery and ack latency at one fixed rate (after a discarded warm-up of
 * `warmMs` at that rate, if given). With a change mix (Parley only),
 * that share of the operations are edits and reaction toggles, each delivered to the room like a send.
 */
export async function fixedRate(
  name: ServerName,
  connections: number,
  roomSize: number,
  deliveriesPerSecond: number,
  ms: number,
  mix?: ChangeMix,
  warmMs = 0,
) {
  const run = await launch(name, connections);
  const population = new Population(run.driver, run.server, connections, roomSize, mix);
  try {
    await population.setup();
    if (warmMs > 0) await population.step(deliveriesPerSecond / roomSize, warmMs);
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
