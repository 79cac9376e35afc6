import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const gcHook = path.join(import.meta.dirname, 'gc-hook.cjs');

export type ServerName = 'B0' | 'B1' | 'B2' | 'Parley';

export interface RunningServer {
  name: ServerName;
  url: string;
  pid: number;
  child: ChildProcess;
  /** User + system CPU time of the server process so far, in microseconds. */
  cpuMicros(): number;
  /** Resident set size in KiB, after a full GC. */
  rssAfterGc(): Promise<number>;
  stop(): Promise<void>;
}

const CLOCK_TICKS = 100;

/**
 * The bench floods on purpose, from one address: Parley's abuse limits are raised far out of the
 * way (they are still checked on every event, as in production, so their cost is measured).
 */
const BENCH_LIMITS: Record<string, string> = Object.fromEntries(
  [
    'LIMIT_MESSAGES_PER_MINUTE',
    'LIMIT_EVENTS_PER_MINUTE',
    'LIMIT_ROOM_CREATIONS_PER_HOUR',
    'LIMIT_ROOMS_PER_USER',
    'LIMIT_SOCKETS_PER_USER',
    'LIMIT_SOCKETS_PER_IP',
    'LIMIT_AUTH_ATTEMPTS_PER_IP',
  ].map((name) => [name, '1000000000']),
);

/** Starts a server pinned to core 0 (the generator runs on core 1) and waits until it listens. */
export async function startServer(name: ServerName, dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  // Below the ephemeral range (32768+), so the generator's own connections never hold it.
  const port = 10000 + Math.floor(Math.random() * 20000);
  const script = {
    B0: [path.join(import.meta.dirname, 'baselines', 'b0-ws.mjs'), String(port)],
    B1: [path.join(import.meta.dirname, 'baselines', 'b1-socketio.mjs'), String(port)],
    B2: [path.join(import.meta.dirname, 'baselines', 'b2-socketio-sqlite.mjs'), String(port), dataDir],
    Parley: [path.join(repoRoot, 'apps', 'server', 'dist', 'main.js')],
  }[name];
  // BENCH_NODE_ARGS adds flags to the servers' node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn('taskset', ['-c', '0', process.execPath, '--expose-gc', '--require', gcHook, ...nodeArgs, ...script], {
    env: {
      ...process.env,
      ...(name === 'Parley' ? BENCH_LIMITS : {}),
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  // Parley logs at warn (nothing on start): it is up when /readyz answers.
  if (name === 'Parley') await waitForReady(url);
  else
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/listening/i.test(out) || out.includes(String(port))) resolve();
      });
      child.once('exit', (code) => reject(new Error(`${name} exited with ${code}: ${out}`)));
      setTimeout(() => reject(new Error(`${name} did not start: ${out}`)), 20_000).unref();
    });
  const pid = await serverPid(child.pid!);
  return {
    name,
    url,
    pid,
    child,
    cpuMicros: () => cpuMicrosOf(pid),
    rssAfterGc: async () => {
      for (let i = 0; i < 3; i++) {
        process.kill(pid, 'SIGUSR2');
        await new Promise((r) => setTimeout(r, 300));
      }
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
    },
    stop: async () => {
      // A profiled server must exit on its own to write its profile (SIGTERM: Parley's graceful shutdown).
      if (nodeArgs.some((a) => a.startsWith('--cpu-prof'))) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(pid, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      }
      child.kill('SIGKILL');
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await new Promise((r) => setTimeout(r, 100));
    },
  };
}

/** User + system CPU time of a process so far, in microseconds (from /proc). */
export function cpuMicrosOf(pid: number | string): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1e6;
}

async function waitForReady(url: string) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no answer from ${url}`);
}

/** taskset execs node in place, so the pid is the child's; keep the lookup for safety. */
async function serverPid(pid: number): Promise<number> {
  const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  return comm === 'taskset' ? Number(fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0]) : pid;
}
