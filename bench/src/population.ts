import { performance } from 'node:perf_hooks';
import { ChangeMixer, MARK, type ChangeMix } from './changes.js';
import type { Conn, Driver } from './drivers.js';
import { percentile, sortedPercentile } from './stats.js';

/** What a population drives: one server, or several behind which connections are spread. */
export interface Served {
  url: string;
  /** The server connection `index` goes to, when there are several. */
  urlFor?: (index: number) => string;
  /** CPU time of every process serving, in microseconds. */
  cpuMicros(): number;
}

export interface StepResult {
  /** Deliveries per second asked for (messages/s times room size). */
  offered: number;
  /** Deliveries per second that arrived. */
  achieved: number;
  reach: number;
  p50: number;
  p99: number;
  p999: number;
  /** Server CPU (user + system, every serving process) per delivery, microseconds. */
  cpuPerDelivery: number;
  ackP50: number;
  ackP99: number;
  /** Share of one core the generator used; above 0.9 the step is invalid. */
  generatorLoad: number;
  /** Generator CPU (user + system) per delivery received, microseconds. */
  generatorCpuPerDelivery: number;
  valid: boolean;
  /** With a change mix: the operations sent in the step, by kind. */
  operations?: { sends: number; edits: number; reactions: number };
}

interface StepStats {
  id: number;
  expected: number;
  received: number;
  /** Latencies of the step's deliveries, preallocated for the step's expected count (grown if ever short). */
  latencies: Float64Array;
  acks: number[];
}

const MARK_BYTES = Buffer.from(MARK);
const PIPE = 0x7c;

/** Where the last readNumber stopped (past its '|'): a module variable, so reading allocates nothing. */
let readEnd = 0;

/** Reads a decimal number (digits and one dot) from bytes, up to the next '|'. */
function readNumber(buf: Buffer, from: number): number {
  let value = 0;
  let scale = 0;
  let i = from;
  const end = buf.length;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c === PIPE) break;
    if (c === 0x2e) scale = 1;
    else {
      value = value * 10 + (c - 0x30);
      if (scale) scale *= 10;
    }
  }
  readEnd = i + 1;
  return scale ? value / scale : value;
}
const PADDING = 'x'.repeat(60);

/** p50, p99 and p99.9 of a step's latencies, sorted in place once. */
function latencyPercentiles(latencies: Float64Array) {
  latencies.sort();
  return { p50: sortedPercentile(latencies, 50), p99: sortedPercentile(latencies, 99), p999: sortedPercentile(latencies, 99.9) };
}

/**
 * Connections in rooms of one size, one sender per room, driven open-loop: sends are scheduled
 * by the clock and latency is measured from the scheduled time, so a slow server cannot hide
 * load by slowing the sender down. With a change mix (Parley), a share of the operations are
 * edits and reaction toggles instead of sends (changes.ts); each is delivered to every member.
 */
export class Population {
  /** The step being measured; deliveries of any other step (late ones) are ignored. */
  private current: StepStats | undefined;
  private conns: Conn[] = [];
  private rooms: Array<{ id: string; sender: Conn }> = [];
  private stepId = 0;
  private readonly mixer: ChangeMixer | undefined;

  constructor(
    private readonly driver: Driver,
    private readonly server: Served,
    readonly connections: number,
    readonly roomSize: number,
    mix?: ChangeMix,
  ) {
    this.mixer = mix && new ChangeMixer(mix, roomSize);
  }

  async setup(): Promise<void> {
    const onDelivery = (raw: Buffer) => this.onDelivery(raw);
    for (let i = 0; i < this.connections; i += 100) {
      const batch = [];
      for (let j = i; j < Math.min(this.connections, i + 100); j++)
        batch.push(this.driver.connect(this.server.urlFor?.(j) ?? this.server.url, j, onDelivery));
      this.conns.push(...(await Promise.all(batch)));
    }
    const roomCount = Math.floor(this.connections / this.roomSize);
    for (let r = 0; r < roomCount; r++) {
      const members = this.conns.slice(r * this.roomSize, (r + 1) * this.roomSize);
      const id = await this.driver.createRoom(members[0]!, r);
      for (let i = 1; i < members.length; i += 50) await Promise.all(members.slice(i, i + 50).map((m) => m.join(id)));
      this.rooms.push({ id, sender: members[0]! });
    }
    // One round trip through every room so joins have settled before measuring.
    await this.step(this.rooms.length * 2, 1000);
  }

  /** The per-delivery path: `raw` is a view into the generator's shared read buffer, valid only during the call. */
  private onDelivery(raw: Buffer): void {
    const stats = this.current;
    if (stats === undefined) return;
    const at = raw.indexOf(MARK_BYTES);
    if (at < 0) return;
    let scheduled: number;
    const reaction = this.mixer?.reactionOf(raw, at);
    if (reaction) {
      if (reaction.step !== stats.id) return;
      scheduled = reaction.scheduled;
    } else {
      if (readNumber(raw, at + MARK_BYTES.length) !== stats.id) return;
      scheduled = readNumber(raw, readEnd);
    }
    if (stats.received === stats.latencies.length) {
      const grown = new Float64Array(stats.latencies.length * 2);
      grown.set(stats.latencies);
      stats.latencies = grown;
    }
    stats.latencies[stats.received++] = performance.now() - scheduled;
  }

  /** Sends `messagesPerSecond` spread over the rooms for `durationMs`, then drains. */
  async step(messagesPerSecond: number, durationMs: number): Promise<StepResult> {
    const id = ++this.stepId;
    const interval = (1000 * this.rooms.length) / messagesPerSecond;
    const capacity = Math.max(1024, this.rooms.length * this.roomSize * (Math.ceil(durationMs / interval) + 2));
    const stats: StepStats = { id, expected: 0, received: 0, latencies: new Float64Array(capacity), acks: [] };
    this.current = stats;
    const start = performance.now() + 5;
    const end = start + durationMs;
    const next = this.rooms.map((_, i) => start + (interval * i) / this.rooms.length);
    const cpuBefore = this.server.cpuMicros();
    const genBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const countsBefore = this.mixer && { ...this.mixer.counts };

    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        for (let r = 0; r < this.rooms.length; r++) {
          while (next[r]! <= now && next[r]! < end) {
            const scheduled = next[r]!;
            const room = this.rooms[r]!;
            stats.expected += this.roomSize;
            if (this.mixer) this.mixer.operate(room, r, id, scheduled, () => stats.acks.push(performance.now() - scheduled));
            else
              room.sender.send(room.id, `${MARK}${id}|${scheduled.toFixed(3)}|${PADDING}`, () =>
                stats.acks.push(performance.now() - scheduled),
              );
            next[r]! += interval;
          }
        }
        if (now >= end) resolve();
        else setTimeout(tick, 1);
      };
      setTimeout(tick, 5);
    });
    const drainUntil = performance.now() + 1500;
    while (stats.received < stats.expected && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 10));

    const wall = performance.now() - wallBefore;
    const gen = process.cpuUsage(genBefore);
    const cpu = this.server.cpuMicros() - cpuBefore;
    this.current = undefined;
    this.mixer?.endStep(id);
    const counts = this.mixer?.counts;
    const operations =
      counts && countsBefore
        ? {
            sends: counts.sends - countsBefore.sends,
            edits: counts.edits - countsBefore.edits,
            reactions: counts.reactions - countsBefore.reactions,
          }
        : undefined;
    const generatorLoad = (gen.user + gen.system) / 1000 / wall;
    return {
      offered: messagesPerSecond * this.roomSize,
      achieved: stats.received / (durationMs / 1000),
      reach: stats.expected ? stats.received / stats.expected : 0,
      ...latencyPercentiles(stats.latencies.subarray(0, stats.received)),
      cpuPerDelivery: stats.received ? cpu / stats.received : Number.NaN,
      ackP50: percentile(stats.acks, 50),
      ackP99: percentile(stats.acks, 99),
      generatorLoad,
      generatorCpuPerDelivery: stats.received ? (gen.user + gen.system) / stats.received : Number.NaN,
      valid: generatorLoad < 0.9,
      ...(operations && { operations }),
    };
  }

  close(): void {
    for (const conn of this.conns) conn.close();
  }
}
