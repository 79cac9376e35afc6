import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

const serverDir = path.resolve(import.meta.dirname, '..', '..');

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  port: number;
  output(): string;
}

/**
 * Runs src/main.ts as its own process (no build step). tsx is loaded into node itself rather than
 * run as its CLI, which would put the server in a grandchild process that a SIGKILL misses.
 */
export function spawnServer(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
  });
}

/** Starts the server process and waits for its "listening" log line. */
export async function startProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawnServer(env);
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+).*Parley is listening/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => reject(new Error(`exited with ${code ?? signal}: ${output}`)));
  });
  return { child, port, url: `http://127.0.0.1:${port}`, output: () => output };
}
