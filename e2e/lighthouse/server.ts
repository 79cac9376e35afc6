import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RunningServer {
  baseURL: string;
  stop(): Promise<void>;
}

const SERVER_MAIN = fileURLToPath(new URL('../../apps/server/dist/main.js', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

/**
 * Starts Parley as e2e/playwright.config.ts does: the built server serving the built web app, embedded
 * SQLite in a fresh temporary folder, its own port. Resolves once /readyz answers 200.
 */
export async function startParley(port: number): Promise<RunningServer> {
  if (!fs.existsSync(SERVER_MAIN)) {
    throw new Error(`${SERVER_MAIN} is missing: build first (pnpm turbo run build --filter=@parley/web --filter=@parley/server)`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-lighthouse-'));
  const baseURL = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [SERVER_MAIN], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      LIMIT_MESSAGES_PER_MINUTE: '100000',
      LIMIT_AUTH_ATTEMPTS_PER_IP: '100000',
    },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });

  const stop = async () => {
    await stopChild(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(`${baseURL}/readyz`, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseURL, stop };
}

async function waitUntilReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code) => reject(new Error(`the Parley server exited (code ${code}) before it was ready:\n${stderr()}`)));
  });
  exited.catch(() => {}); // only raced below; never left unhandled
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const ready = await Promise.race([isOk(url), exited]);
    if (ready) return;
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 200)), exited]);
  }
  throw new Error(`the Parley server did not answer ${url} within ${READY_TIMEOUT_MS / 1000} s:\n${stderr()}`);
}

async function isOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false; // not listening yet
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
