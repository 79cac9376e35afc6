/**
 * pnpm bench [--quick]: Parley side by side with raw ws (B0), plain Socket.IO (B1) and the
 * Socket.IO tutorial with SQLite (B2), in one run on one machine. Servers run on core 0, this
 * generator on core 1; rounds alternate servers (A B C D A B C D); figures are medians over rounds.
 *
 * pnpm bench --fanout-only [--quick] [--sizes 10,100] [--servers B1,Parley]: only the fan-out
 * knees and the fixed-rate step, printed as the issue 18 table; writes nothing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHANGE_MIX } from './changes.js';
import { p99Chart } from './chart.js';
import { FIXED_RATE, FanoutSummary, fixedRateFor, ratio, runFanouts, times, type FanoutPlan } from './fanout.js';
import { fixedRate, historyPages, memoryPerConnection } from './scenarios.js';
import { scaleOut, scaleOutServices, type ScaleOutResult } from './scaleout.js';
import { searchLatency } from './search.js';
import { repoRoot, type ServerName } from './server-process.js';
import { round } from './stats.js';

const quick = process.argv.includes('--quick');
const SERVERS: ServerName[] = ['B0', 'B1', 'B2', 'Parley'];
/** The value after a flag, split on commas: `--sizes 10,100`. */
const listArg = (flag: string): string[] | undefined => {
  const at = process.argv.indexOf(flag);
  return at >= 0 ? (process.argv[at + 1] ?? '').split(',').filter(Boolean) : undefined;
};
const config = quick
  ? {
      connections: 1000,
      sizes: [
        { size: 10, rounds: 1 },
        { size: 100, rounds: 1 },
      ],
      ramp: { startDeliveries: 4_000, factor: 1.5, stepMs: 1000, maxDeliveries: 1_000_000 },
      fixedMs: 2000,
      warmMs: 500,
      memoryLevels: [500, 1000],
      history: { rooms: 5, perRoom: 10_000, samples: 200 },
      // Quick: a tenth of the full run's stored messages.
      search: { messages: 100_000, samples: 200 },
      ackMs: 1000,
      // Smaller, and without the middle setup, to stay under two minutes.
      scaleOut: {
        deliveriesPerSecond: 4_000,
        connections: 400,
        setups: [
          ['sqlite', 1],
          ['postgres+redis', 2],
        ] as const,
      },
    }
  : {
      connections: 2000,
      // Two rounds at every size; the second round runs B1 and Parley only (the targets' ratios).
      sizes: [
        { size: 10, rounds: 2 },
        { size: 100, rounds: 2 },
        { size: 1000, rounds: 2 },
      ],
      ramp: { startDeliveries: 4_000, factor: 1.3, stepMs: 1500, maxDeliveries: 1_000_000 },
      fixedMs: 3000,
      warmMs: 1000,
      memoryLevels: [1000, 5000, 10_000],
      history: { rooms: 10, perRoom: 100_000, samples: 1000 },
      search: { messages: 1_000_000, samples: 1000 },
      ackMs: 4000,
      scaleOut: {
        deliveriesPerSecond: 10_000,
        connections: 2000,
        setups: [
          ['sqlite', 1],
          ['postgres+redis', 1],
          ['postgres+redis', 2],
        ] as const,
      },
    };

function pin() {
  try {
    execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
  } catch {
    console.warn('taskset failed: the generator is not pinned');
  }
}

const log = (...args: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...args);

const logSearch = (search: Awaited<ReturnType<typeof searchLatency>>) => {
  log(
    `search (${search.totalMessages} stored${quick ? ', --quick: a tenth of the full run' : ''}, seeded in ${round(search.seedMs / 1000)} s): ` +
      `p50 ${round(search.p50)} ms, p99 ${round(search.p99)} ms`,
  );
  for (const [q, t] of Object.entries(search.byQuery)) log(`  search "${q}": p50 ${round(t.p50)} ms, p99 ${round(t.p99)} ms`);
};

async function main() {
  pin();
  const started = Date.now();
  const results: Record<string, unknown> = {};
  if (process.argv.includes('--search-only')) {
    // Only the search scenario (4b), printed, nothing written: `pnpm bench --search-only [--quick]`.
    logSearch(await searchLatency(config.search.messages, config.search.samples));
    return;
  }
  if (process.argv.includes('--generator-cost')) {
    // The generator's own CPU per delivery: B0 at a fixed rate (B0 costs the server least, so
    // the generator is what is measured), printed, nothing written: `pnpm bench --generator-cost`.
    for (const [size, rate] of [
      [100, 30_000],
      [10, 15_000],
    ] as const) {
      for (let r = 0; r < 3; r++) {
        const s = await fixedRate('B0', 2000, size, rate, 4000, undefined, 1000);
        log(
          `generator cost, B0, rooms of ${size}, ${rate}/s: ${round(s.generatorCpuPerDelivery, 2)} us/delivery (generator load ${round(s.generatorLoad, 2)}, reach ${round(s.reach, 3)}, p99 ${round(s.p99, 1)} ms)`,
        );
      }
    }
    return;
  }

  const plan: FanoutPlan = {
    connections: config.connections,
    sizes: config.sizes,
    servers: SERVERS,
    laterRoundServers: ['B1', 'Parley'],
    ramp: config.ramp,
    fixedMs: config.fixedMs,
    warmMs: config.warmMs,
  };
  if (process.argv.includes('--fanout-only')) {
    // Only scenarios 1 and 2, printed, nothing written:
    // `pnpm bench --fanout-only [--quick] [--sizes 10,100] [--servers B1,Parley]`.
    const sizes = listArg('--sizes')?.map(Number);
    const servers = listArg('--servers') as ServerName[] | undefined;
    for (const s of servers ?? []) if (!SERVERS.includes(s)) throw new Error(`--servers: unknown server ${s}`);
    if (sizes?.some((n) => !Number.isInteger(n) || n < 2)) throw new Error('--sizes: room sizes, e.g. 10,100');
    const only: FanoutPlan = {
      ...plan,
      sizes: sizes ? sizes.map((size) => ({ size, rounds: config.sizes.find((c) => c.size === size)?.rounds ?? 1 })) : plan.sizes,
      servers: servers ?? plan.servers,
    };
    const summary = new FanoutSummary(await runFanouts(only));
    const sizeList = only.sizes.map((s) => s.size);
    console.log(
      ['', ...fanoutRows(summary, sizeList, only.servers), '', ...summary.issueTable(sizeList), '', limitedNote(summary), ''].join('\n'),
    );
    log(`fan-out only: ${Math.round((Date.now() - started) / 1000)} s, nothing written`);
    return;
  }

  // 1 + 2. Per room size and round, servers alternated: on a fresh server, a fixed-rate step
  // (FIXED_RATE[size], warm-up discarded), then the ramp to the knee.
  const fanouts = await runFanouts(plan);
  const summary = new FanoutSummary(fanouts);
  results.fanout = fanouts;
  results.fixedRate = FIXED_RATE;

  // 2b. The rooms-of-100 fixed rate with a fifth of the operations being edits and reaction toggles
  // (Parley only: the baselines have neither). Every change is delivered to the room like a send.
  const moderate = FIXED_RATE[100]!;
  const changes = await fixedRate('Parley', config.connections, 100, moderate, config.fixedMs, CHANGE_MIX, config.warmMs);
  const ops = changes.operations;
  log(
    `fixed ${moderate}/s Parley with edits and reactions (${ops?.sends} sends, ${ops?.edits} edits, ${ops?.reactions} reactions): ` +
      `p99 ${round(changes.p99)} ms, ${round(changes.cpuPerDelivery)} us/delivered change, reach ${round(changes.reach, 3)}`,
  );
  results.changes = { deliveriesPerSecond: moderate, mix: CHANGE_MIX, result: changes };

  // 3. Memory per idle connection.
  const memory: Array<Awaited<ReturnType<typeof memoryPerConnection>>> = [];
  for (const server of SERVERS) {
    const r = await memoryPerConnection(server, config.memoryLevels);
    log(`memory ${server}: ${round(r.kibPerConnection)} KiB per connection`);
    memory.push(r);
  }
  results.memory = memory;

  // 4. History pages with many stored messages.
  const history = await historyPages(config.history.rooms, config.history.perRoom, config.history.samples);
  log(
    `history (${history.totalMessages} stored): socket p50 ${round(history.p50)} ms, p99 ${round(history.p99)} ms; HTTP p99 ${round(history.httpP99)} ms`,
  );
  results.history = history;

  // 4b. Message search (GET /api/search, limit 20) over many stored messages on SQLite.
  const search = await searchLatency(config.search.messages, config.search.samples);
  logSearch(search);
  results.search = search;

  // 5. message:send ack latency at 1,000 messages/s (rooms of 10), Parley and the tutorial B2.
  const acks: Array<Awaited<ReturnType<typeof fixedRate>>> = [];
  for (const server of ['B2', 'Parley'] as const) {
    const r = await fixedRate(server, 200, 10, 10_000, config.ackMs);
    log(`acks at 1000 msg/s ${server}: p50 ${round(r.ackP50)} ms, p99 ${round(r.ackP99)} ms`);
    acks.push(r);
  }
  results.acks = acks;

  // 6. Scale-out: the same load on one embedded node, one node on PostgreSQL + Redis, and two
  // nodes on PostgreSQL + Redis (connections alternate between nodes, so deliveries cross nodes).
  const services = await scaleOutServices();
  const scale: ScaleOutResult[] = [];
  const scaleRate = config.scaleOut.deliveriesPerSecond;
  if (typeof services === 'string') {
    results.scaleOut = `skipped: ${services}`;
    log(`scale-out skipped: ${services}`);
  } else {
    for (const [setup, nodes] of config.scaleOut.setups) {
      const r = await scaleOut(setup, nodes, config.scaleOut.connections, 100, scaleRate, config.fixedMs, services);
      log(
        `scale-out ${nodes} x ${setup} at ${scaleRate}/s: ${round(r.cpuSecondsPer1k, 4)} CPU-s per 1k deliveries, p99 ${round(r.step.p99)} ms, reach ${round(r.step.reach, 3)}`,
      );
      scale.push(r);
    }
    results.scaleOut = scale;
  }

  const mem = (server: ServerName) => memory.find((m) => m.server === server)!.kibPerConnection;
  const sizes = config.sizes.map((s) => s.size);
  const cpuAt = (server: ServerName, size: number) => summary.fixed(server, size, 'cpuPerDelivery');
  const p99At = (server: ServerName, size: number) => summary.fixed(server, size, 'p99');
  const single = scale.find((r) => r.setup === 'sqlite' && r.nodes === 1);
  const two = scale.find((r) => r.setup === 'postgres+redis' && r.nodes === 2);
  const targets = [
    ...[10]
      .filter((size) => sizes.includes(size))
      .map((size) => {
        const k = summary.kneeRatio(size);
        return {
          target: `fan-out knee, rooms of ${size}`,
          goal: '>= 0.8x B1',
          value:
            `${summary.kneeText('Parley', size)}/s = ${times(k.ratio)} B1 (${summary.kneeText('B1', size)}/s)` +
            (k.claimable ? '' : '; a generator-limited knee: the ratio is not claimed'),
          met: k.claimable && k.ratio >= 0.8,
        };
      }),
    ...[10, 100]
      .filter((size) => sizes.includes(size))
      .map((size) => ({
        target: `server CPU per delivery at ${fixedRateFor(size).toLocaleString('en')}/s, rooms of ${size}`,
        goal: '<= 1.0x B1',
        value: `${round(cpuAt('Parley', size))} us = ${times(ratio(cpuAt('Parley', size), cpuAt('B1', size)))} B1 (${round(cpuAt('B1', size))} us)`,
        met: cpuAt('Parley', size) <= cpuAt('B1', size),
      })),
    {
      target: `p99 end-to-end at ${moderate.toLocaleString('en')}/s, rooms of 100`,
      goal: '<= 1.5x B1 and <= 10 ms',
      value: `${round(p99At('Parley', 100))} ms = ${times(ratio(p99At('Parley', 100), p99At('B1', 100)))} B1 (${round(p99At('B1', 100))} ms)`,
      met: p99At('Parley', 100) <= 1.5 * p99At('B1', 100) && p99At('Parley', 100) <= 10,
    },
    {
      target: 'memory per idle connection',
      goal: '<= 1.0x B1',
      value: `${round(mem('Parley'))} KiB = ${times(ratio(mem('Parley'), mem('B1')))} B1 (B0 ${round(mem('B0'))} KiB)`,
      met: mem('Parley') <= mem('B1'),
    },
    {
      target: `two nodes on PostgreSQL + Redis at ${scaleRate.toLocaleString('en')}/s, rooms of 100`,
      goal: 'CPU-s per 1k deliveries <= 1.5x one embedded node, p99 <= 15 ms',
      value:
        single && two
          ? `${round(two.cpuSecondsPer1k, 4)} CPU-s = ${times(ratio(two.cpuSecondsPer1k, single.cpuSecondsPer1k))} one node; p99 ${round(two.step.p99, 1)} ms`
          : 'did not run (PostgreSQL or Redis not reachable)',
      met: !!single && !!two && two.cpuSecondsPer1k <= 1.5 * single.cpuSecondsPer1k && two.step.p99 <= 15,
    },
    {
      target: `history page p99 (socket), ${history.totalMessages.toLocaleString('en')} stored`,
      goal: '<= 5 ms',
      value: `${round(history.p99)} ms (p50 ${round(history.p50)} ms; over HTTP p99 ${round(history.httpP99)} ms)`,
      met: history.p99 <= 5,
    },
    {
      target: `search p99 (HTTP, limit 20), ${search.totalMessages.toLocaleString('en')} stored`,
      goal: '<= 50 ms',
      value: `${round(search.p99)} ms (p50 ${round(search.p50)} ms)`,
      met: search.p99 <= 50,
    },
  ];
  results.targets = targets;

  const versions = {
    node: process.version,
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    mode: quick ? 'quick' : 'full',
    date: new Date().toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    invalidSteps: summary.invalidSteps(),
    generatorLimitedKnees: summary.generatorLimitedKnees(),
  };
  results.machine = versions;

  const table = [
    `Measured ${versions.date.slice(0, 10)} on ${versions.cores} cores (${versions.cpu}), ${versions.memoryGiB} GiB, Node ${versions.node}, ${packageVersions()}; ${versions.mode} run, ${versions.seconds} s; servers on core 0, generator on core 1; ${config.connections.toLocaleString('en')} connections.`,
    '',
    ...summary.issueTable(sizes),
    '',
    ...fanoutRows(summary, sizes, SERVERS),
    `| with 10% edits and 10% reaction toggles: CPU per delivered change at ${moderate.toLocaleString('en')}/s, rooms of 100 (us) | - | - | - | ${round(changes.cpuPerDelivery)} = ${times(ratio(changes.cpuPerDelivery, cpuAt('Parley', 100)))} Parley sends, ${times(ratio(changes.cpuPerDelivery, cpuAt('B1', 100)))} B1 |`,
    `| with 10% edits and 10% reaction toggles: p50 / p99 / p99.9 at ${moderate.toLocaleString('en')}/s (ms), reach | - | - | - | ${round(changes.p50, 1)} / ${round(changes.p99, 1)} / ${round(changes.p999, 1)}, ${round(changes.reach, 3)} |`,
    `| memory per idle connection (KiB) | ${SERVERS.map((s) => round(mem(s), 1)).join(' | ')} |`,
    `| ack p50 / p99 at 1,000 msg/s (ms) | - | - | ${round(acks[0]!.ackP50, 1)} / ${round(acks[0]!.ackP99, 1)} | ${round(acks[1]!.ackP50, 1)} / ${round(acks[1]!.ackP99, 1)} |`,
    `| history page p50 / p99 over the socket, ${history.totalMessages.toLocaleString('en')} stored (ms) | - | - | - | ${round(history.p50, 2)} / ${round(history.p99, 2)} |`,
    `| history page p50 / p99 over HTTP (ms) | - | - | - | ${round(history.httpP50, 2)} / ${round(history.httpP99, 2)} |`,
    '',
    '| target | goal | measured | met |',
    '|---|---|---|---|',
    ...targets.map((t) => `| ${t.target} | ${t.goal} | ${t.value} | ${t.met ? 'yes' : 'no'} |`),
    '',
    ...scaleOutTable(scale, scaleRate),
    limitedNote(summary),
  ].join('\n');

  const chartSize = sizes.includes(100) ? 100 : sizes[0]!;
  const firstRound = SERVERS.flatMap((s) => fanouts.find((f) => f.server === s && f.roomSize === chartSize) ?? []);
  const svg = p99Chart(
    firstRound.map((f) => ({ name: f.server, points: f.curve.map((c) => [c.offered, c.p99] as [number, number]) })),
    `p99 latency vs offered rate, rooms of ${chartSize}`,
  );

  const outDir = path.join(repoRoot, 'bench', 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const suffix = quick ? '-quick' : '';
  fs.writeFileSync(path.join(outDir, `latest${suffix}.json`), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(outDir, `latest${suffix}.md`), `${table}\n`);
  fs.writeFileSync(path.join(outDir, `p99-vs-rate${suffix}.svg`), svg);
  if (!quick) updateReadme(table);
  console.log(`\n${table}\n`);
  log(`results in bench/results (${versions.seconds} s)`);
}

/** Scenarios 1 and 2 per server: knees (medians over rounds), CPU at the knee, the fixed-rate step. */
function fanoutRows(summary: FanoutSummary, sizes: number[], servers: ServerName[]): string[] {
  const cell = (s: ServerName, size: number, text: () => string) => (summary.has(s, size) ? text() : '-');
  const names: Record<ServerName, string> = { B0: 'B0 raw ws', B1: 'B1 Socket.IO', B2: 'B2 tutorial + SQLite', Parley: 'Parley' };
  return [
    `| scenario | ${servers.map((s) => names[s]).join(' | ')} |`,
    `|---|${servers.map(() => '---|').join('')}`,
    ...sizes.map(
      (size) => `| fan-out knee, rooms of ${size} (deliveries/s) | ${servers.map((s) => summary.kneeText(s, size)).join(' | ')} |`,
    ),
    ...sizes.map(
      (size) =>
        `| CPU per delivery at the knee, rooms of ${size} (us) | ${servers.map((s) => cell(s, size, () => String(round(summary.kneeCpu(s, size))))).join(' | ')} |`,
    ),
    ...sizes.map(
      (size) =>
        `| p50 / p99 / p99.9 at ${fixedRateFor(size).toLocaleString('en')}/s, rooms of ${size} (ms) | ${servers
          .map((s) => cell(s, size, () => (['p50', 'p99', 'p999'] as const).map((k) => round(summary.fixed(s, size, k), 1)).join(' / ')))
          .join(' | ')} |`,
    ),
    ...sizes.map(
      (size) =>
        `| server CPU per delivery at ${fixedRateFor(size).toLocaleString('en')}/s, rooms of ${size} (us) | ${servers.map((s) => cell(s, size, () => String(round(summary.fixed(s, size, 'cpuPerDelivery'))))).join(' | ')} |`,
    ),
    ...sizes.map(
      (size) =>
        `| generator CPU per delivery at ${fixedRateFor(size).toLocaleString('en')}/s, rooms of ${size} (us) | ${servers.map((s) => cell(s, size, () => String(round(summary.fixed(s, size, 'generatorCpuPerDelivery'))))).join(' | ')} |`,
    ),
  ];
}

/** Which knees the generator limited, and how many steps were invalid. */
function limitedNote(summary: FanoutSummary): string {
  const limited = summary.generatorLimitedKnees();
  const invalid = summary.invalidSteps();
  return [
    invalid
      ? `${invalid} ramp steps were invalid (generator core above 90%) and do not count.`
      : 'No ramp step saturated the generator core.',
    limited.length
      ? `Generator-limited knees (the server's limit was not seen; lower bounds, no ratio from them is claimed): ${limited.join(', ')}.`
      : 'No knee was generator-limited.',
  ].join(' ');
}

/** Scenario 6 as a table: CPU of every serving process per 1k deliveries, and latency. */
function scaleOutTable(scale: ScaleOutResult[], rate: number): string[] {
  if (scale.length === 0) return ['Scale-out (scenario 6) did not run: PostgreSQL or Redis was not reachable.', ''];
  const single = scale[0]!.cpuSecondsPer1k;
  return [
    `| scale-out at ${rate.toLocaleString('en')} deliveries/s, rooms of 100 | CPU-seconds per 1k deliveries (nodes + PostgreSQL + Redis) | vs 1 embedded node | p50 / p99 (ms) | reach |`,
    '|---|---|---|---|---|',
    ...scale.map(
      (r) =>
        `| ${r.nodes} node${r.nodes > 1 ? 's' : ''}, ${r.setup === 'sqlite' ? 'embedded SQLite' : 'PostgreSQL + Redis'} | ${round(r.cpuSecondsPer1k, 4)} | ${round(r.cpuSecondsPer1k / single, 2)}x | ${round(r.step.p50, 1)} / ${round(r.step.p99, 1)} | ${round(r.step.reach, 3)} |`,
    ),
    '',
  ];
}

/** Versions of the libraries the servers run on, as installed. */
function packageVersions(): string {
  const version = (name: string) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(repoRoot, 'bench', 'node_modules', name, 'package.json'), 'utf8')).version as string;
    } catch {
      return '?';
    }
  };
  return ['socket.io', 'ws', 'better-sqlite3'].map((name) => `${name} ${version(name)}`).join(', ');
}

function updateReadme(table: string) {
  const readme = path.join(repoRoot, 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  if (!text.includes(start)) return;
  const block = `${start}\n${table}\n\n![p99 vs offered rate](bench/results/p99-vs-rate.svg)\n${end}`;
  fs.writeFileSync(readme, text.replace(new RegExp(`${start}[\\s\\S]*${end}`), block));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
