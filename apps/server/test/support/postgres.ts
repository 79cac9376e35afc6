import pg from 'pg';

/**
 * The PostgreSQL that suites needing one use (DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test). Without one they are skipped with the reason
 * printed; under CI (CI=true) a missing PostgreSQL fails instead, so CI never skips them.
 */
export async function testDatabaseUrl(): Promise<string | undefined> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  const reason = await client
    .connect()
    .then(() => client.query('SELECT 1'))
    .then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    )
    .finally(() => client.end().catch(() => undefined));
  const where = redact(url);
  if (reason === undefined) return url;
  if (process.env.CI) throw new Error(`PostgreSQL is not reachable at ${where} (${reason}), and CI must not skip the suites that need it`);
  console.warn(`SKIPPED: PostgreSQL is not reachable at ${where} (${reason}); the suites that need it did not run`);
  return undefined;
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
