/**
 * The fan-out phase (scenarios 1 and 2): per room size and round, each server in turn gets a fresh
 * process, a fixed-rate step (warm-up, then measured), then a ramp to its knee. Figures are medians
 * over rounds; a knee whose ramp did not see the server's limit is marked generator-limited and no
 * ratio from it is claimed as met. The issue 18 table (knee, CPU per delivery and p99 vs B1 per
 * room size) is built from it.
 */
import { fanout, type FanoutResult, type RampOptions } from './scenarios.js';
import type { ServerName } from './server-process.js';
import { median, round } from './stats.js';

/**
 * The fixed moderate rate per room size (deliveries/s): constants, the same on every run and
 * machine, so runs and changes compare. Chosen so that every server sustains them with room to
 * spare: at the CPU per delivery the issue measured (Parley 77.5 / 16.8 / 12.4 us at rooms of
 * 10 / 100 / 1000) they take Parley about 40% / 35% / 25% of its core, and B2 (the tutorial with
 * SQLite, knee about 7,400/s in rooms of 10) sustains 5,000/s. Half of B1's knee would not do:
 * it is above Parley's knee in rooms of 10 (0.39x B1), so Parley would be measured at overload.
 */
export const FIXED_RATE: Record<number, number> = { 10: 5_000, 100: 20_000, 1000: 20_000 };
/** The fixed rate for a room size (other sizes, from --sizes: 5,000/s below rooms of 100, else 20,000/s). */
export const fixedRateFor = (size: number) => FIXED_RATE[size] ?? (size < 100 ? 5_000 : 20_000);

export interface FanoutPlan {
  connections: number;
  sizes: Array<{ size: number; rounds: number }>;
  servers: ServerName[];
  /** Servers of the rounds after the first (the ones the targets compare), when there are several. */
  laterRoundServers: ServerName[];
  ramp: RampOptions;
  fixedMs: number;
  warmMs: number;
}

const log = (...args: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...args);
const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '-');

export async function runFanouts(plan: FanoutPlan): Promise<FanoutResult[]> {
  const results: FanoutResult[] = [];
  for (const { size, rounds } of plan.sizes) {
    for (let r = 0; r < rounds; r++) {
      const servers = r === 0 ? plan.servers : plan.servers.filter((s) => plan.laterRoundServers.includes(s));
      for (const server of servers) {
        const fixedRate = fixedRateFor(size);
        const result = await fanout(server, plan.connections, size, plan.ramp, {
          deliveriesPerSecond: fixedRate,
          ms: plan.fixedMs,
          warmMs: plan.warmMs,
        });
        const f = result.fixed!;
        log(
          `size ${size} round ${r + 1} ${server}: fixed ${fmt(fixedRate)}/s p99 ${round(f.p99, 1)} ms, ${round(f.cpuPerDelivery)} us/delivery ` +
            `(generator ${round(f.generatorCpuPerDelivery)} us); knee ${fmt(result.knee)}/s${result.generatorLimited ? ' (generator-limited)' : ''}, ` +
            `${result.curve.length} steps, ${result.invalidSteps} invalid`,
        );
        results.push(result);
      }
    }
  }
  return results;
}

/** Medians over rounds, per server and room size. */
export class FanoutSummary {
  constructor(readonly results: FanoutResult[]) {}

  private of(server: ServerName, size: number) {
    return this.results.filter((f) => f.server === server && f.roomSize === size);
  }

  has(server: ServerName, size: number): boolean {
    return this.of(server, size).length > 0;
  }

  knee(server: ServerName, size: number): number {
    return median(this.of(server, size).map((f) => f.knee));
  }

  /** Any round's ramp did not see the server's limit. */
  limited(server: ServerName, size: number): boolean {
    return this.of(server, size).some((f) => f.generatorLimited);
  }

  kneeCpu(server: ServerName, size: number): number {
    return median(this.of(server, size).map((f) => f.cpuPerDeliveryAtKnee));
  }

  /** Median over rounds of one fixed-rate figure. */
  fixed(server: ServerName, size: number, key: 'p50' | 'p99' | 'p999' | 'cpuPerDelivery' | 'generatorCpuPerDelivery'): number {
    return median(this.of(server, size).flatMap((f) => (f.fixed ? [f.fixed[key]] : [])));
  }

  /** "68,400 (generator-limited)" or "45,600". */
  kneeText(server: ServerName, size: number): string {
    if (!this.has(server, size)) return '-';
    return `${fmt(this.knee(server, size))}${this.limited(server, size) ? ' (generator-limited)' : ''}`;
  }

  /** Parley's knee over B1's, and whether that ratio may be claimed (neither knee generator-limited). */
  kneeRatio(size: number): { ratio: number; claimable: boolean } {
    return {
      ratio: ratio(this.knee('Parley', size), this.knee('B1', size)),
      claimable: !this.limited('Parley', size) && !this.limited('B1', size),
    };
  }

  generatorLimitedKnees(): string[] {
    const seen = new Set<string>();
    for (const f of this.results) if (f.generatorLimited) seen.add(`${f.server} at rooms of ${f.roomSize}`);
    return [...seen];
  }

  invalidSteps(): number {
    return this.results.reduce((n, f) => n + f.invalidSteps, 0);
  }

  /** The issue 18 table: per room size, Parley against B1. */
  issueTable(sizes: number[]): string[] {
    const rows = sizes
      .filter((size) => this.has('Parley', size) && this.has('B1', size))
      .map((size) => {
        const k = this.kneeRatio(size);
        const kneeCell = `${times(k.ratio)} (${this.kneeText('Parley', size)} / ${this.kneeText('B1', size)})${k.claimable ? '' : ', not a measured ratio'}`;
        const cpuP = this.fixed('Parley', size, 'cpuPerDelivery');
        const cpuB = this.fixed('B1', size, 'cpuPerDelivery');
        return `| ${size} | ${kneeCell} | ${fmt(fixedRateFor(size))}/s: ${times(ratio(cpuP, cpuB))} (${round(cpuP, 1)} vs ${round(cpuB, 1)} us) | ${round(this.fixed('Parley', size, 'p99'), 1)} / ${round(this.fixed('B1', size, 'p99'), 1)} ms |`;
      });
    if (rows.length === 0) return ['(the issue table needs both B1 and Parley)'];
    return [
      '| room size | knee vs B1 (Parley / B1 deliveries/s) | server CPU per delivery at a fixed rate vs B1 | p99 at that rate (Parley / B1) |',
      '|---|---|---|---|',
      ...rows,
    ];
  }
}

export const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a / b) ? round(a / b, 2) : Number.NaN);
export const times = (r: number) => (Number.isNaN(r) ? 'n/a' : `${r}x`);
