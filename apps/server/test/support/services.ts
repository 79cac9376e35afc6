import net from 'node:net';

/**
 * The Redis that suites needing one use (REDIS_URL, default 127.0.0.1:6379). Without one they
 * are skipped with the reason printed; under CI (CI=true) a missing Redis fails instead, so CI
 * never skips them.
 */
export async function testRedisUrl(): Promise<string | undefined> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const { hostname, port } = new URL(url);
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = net.connect(Number(port || 6379), hostname);
    socket.setTimeout(1_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
  if (reachable) return url;
  if (process.env.CI) throw new Error(`Redis is not reachable at ${url}, and CI must not skip the suites that need it`);
  console.warn(`SKIPPED: Redis is not reachable at ${url}; the suites that need it did not run`);
  return undefined;
}
