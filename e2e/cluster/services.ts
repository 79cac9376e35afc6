import net from 'node:net';
import pg from 'pg';

/** The PostgreSQL the cluster run's nodes share (the server's cluster tests use the same default). */
export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The Redis they share. */
export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Why PostgreSQL or Redis cannot be reached, or undefined when both answer. */
export async function unreachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  const postgres = await client
    .connect()
    .then(() => client.query('SELECT 1'))
    .then(
      () => undefined,
      (error: unknown) =>
        `PostgreSQL is not reachable at ${redact(databaseUrl)} (${error instanceof Error ? error.message : String(error)})`,
    )
    .finally(() => client.end().catch(() => undefined));
  if (postgres) return postgres;
  const { hostname, port } = new URL(redisUrl);
  const redis = await new Promise<boolean>((resolve) => {
    const socket = net.connect(Number(port || 6379), hostname);
    socket.setTimeout(1_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
  return redis ? undefined : `Redis is not reachable at ${redact(redisUrl)}`;
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
