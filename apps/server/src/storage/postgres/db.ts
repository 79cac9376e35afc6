import { Client, Pool, escapeIdentifier, type ClientConfig, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import { DuplicateKeyError, MutationRefusedError, StorageUnavailableError } from '../errors.js';
import { migrations } from './migrations.js';

export interface PostgresStorageOptions {
  /** postgres://user@host:port/database */
  connectionString: string;
  /**
   * Schema holding Parley's tables (created when missing), set as the search_path of every
   * connection. Default: the server's search_path (normally `public`).
   */
  schema?: string;
  /** Connections in the pool. Default 10. */
  poolSize?: number;
  /** Longest wait for a connection, new or from the pool. Default 5 s. */
  connectionTimeoutMs?: number;
  /** Server-side limit on one statement, lock waits included. Default 10 s. */
  statementTimeoutMs?: number;
  /** A session left idle inside a transaction (holding a room's lock) is ended after this. Default 30 s. */
  idleInTransactionTimeoutMs?: number;
  /** Limit on start-up migrations, the wait for the migration lock included. Default 120 s. */
  migrationTimeoutMs?: number;
  /** application_name of the connections (pg_stat_activity), e.g. per node. Default 'parley'. */
  applicationName?: string;
  /** Errors of idle pooled connections (the pool drops them and reconnects on demand). */
  onError?: (error: Error) => void;
}

/** A statement with a stable name: node-postgres prepares it once per connection. */
export interface Statement {
  name: string;
  text: string;
}

export const statement = (name: string, text: string): Statement => ({ name: `parley.${name}`, text });

export interface Queryable {
  /** Rejects with StorageUnavailableError or DuplicateKeyError only. */
  query<R extends QueryResultRow = QueryResultRow>(statement: Statement, values?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface Db extends Queryable {
  /**
   * Runs fn inside BEGIN ... COMMIT on one connection; rolls back when fn or COMMIT fails and
   * rejects with the storage error (StorageUnavailableError or DuplicateKeyError).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function connectionConfig(options: PostgresStorageOptions): ClientConfig {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new TypeError('schema must be a lower-case SQL identifier (a-z, 0-9, _; at most 63)');
  }
  return {
    connectionString: options.connectionString,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 30_000,
    keepAlive: true,
    application_name: options.applicationName ?? 'parley',
    ...(schema !== undefined && { options: `-c search_path=${schema}` }),
  };
}

/** Connects, migrates (one node at a time), then opens the pool. */
export async function openDatabase(options: PostgresStorageOptions): Promise<Db> {
  const config = connectionConfig(options);
  await migrate(config, options.schema, options.migrationTimeoutMs ?? 120_000);

  const pool = new Pool({ ...config, max: options.poolSize ?? 10, idleTimeoutMillis: 30_000 });
  // Without a listener, an idle connection that dies (server restart, terminated backend)
  // would crash the process; the pool already drops it.
  pool.on('error', (error) => options.onError?.(error));
  let closing: Promise<void> | undefined;
  const closed = () => new StorageUnavailableError('storage is closed');

  const run = <R extends QueryResultRow>(client: Pool | PoolClient, s: Statement, values: readonly unknown[] = []) =>
    client.query<R>({ name: s.name, text: s.text, values: [...values] }).catch((error: unknown) => {
      throw toStorageError(error);
    });

  return {
    query: (s, values) => (closing ? Promise.reject(closed()) : run(pool, s, values)),

    async transaction(fn) {
      if (closing) throw closed();
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw toStorageError(error);
      }
      // A checked-out connection has no error listener of the pool's: keep one, so a connection
      // lost between two statements is noticed (and the connection destroyed, not reused).
      let broken: Error | undefined;
      const onError = (error: Error) => (broken ??= error);
      client.on('error', onError);
      try {
        await run(client, BEGIN);
        const result = await fn({ query: (s, values) => run(client, s, values) });
        await run(client, COMMIT);
        return result;
      } catch (error) {
        if (!broken) await client.query(ROLLBACK.text).catch((rollbackError: Error) => (broken = rollbackError));
        throw toStorageError(error);
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },

    close() {
      closing ??= pool.end().catch(() => undefined);
      return closing;
    },
  };
}

const BEGIN = statement('begin', 'BEGIN');
const COMMIT = statement('commit', 'COMMIT');
const ROLLBACK = statement('rollback', 'ROLLBACK');

/** Migration lock id: pg_advisory_lock(MIGRATION_LOCK, hashtext(schema)). */
const MIGRATION_LOCK = 0x5061726c; // 'Parl'

/**
 * Applies the pending migrations on one dedicated session holding a session-level advisory
 * lock, so nodes starting together take turns: the first migrates, the others find nothing to
 * do. Each migration and its schema_migrations row commit together; the lock goes with the
 * session if the process dies.
 */
async function migrate(config: ClientConfig, schema: string | undefined, timeoutMs: number): Promise<void> {
  const client = new Client({ ...config, statement_timeout: timeoutMs });
  // Errors surface through the queries below; without a listener they would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query("SELECT pg_advisory_lock($1, hashtext(coalesce($2, current_schema(), '')))", [MIGRATION_LOCK, schema ?? null]);
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${escapeIdentifier(schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          new Date().toISOString(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
    await client.query("SELECT pg_advisory_unlock($1, hashtext(coalesce($2, current_schema(), '')))", [MIGRATION_LOCK, schema ?? null]);
  } catch (error) {
    throw toStorageError(error);
  } finally {
    // Ending the session releases the advisory lock too, whatever happened above.
    await client.end().catch(() => undefined);
  }
}

// SQLSTATE classes and codes that mean "storage cannot answer now" rather than "this request is
// wrong": the connection, the server's resources, or a timeout.
const TIMEOUT_CODES = new Set(['57014', '55P03', '25P03']); // statement/lock/idle-in-transaction timeout
const TERMINATED_CODES = new Set(['57P01', '57P02', '57P03', '57P05']); // admin/crash shutdown, cannot connect now, idle session timeout
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * Turns any failure into one of the errors the domain understands (a refusal of what is stored
 * passes unchanged). The message names the kind of failure only (never SQL text or values); the
 * driver's error stays as the cause, for logs.
 */
export function toStorageError(error: unknown): Error {
  if (error instanceof StorageUnavailableError || error instanceof DuplicateKeyError || error instanceof MutationRefusedError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '23505') return new DuplicateKeyError('duplicate key', { cause: error });
  return new StorageUnavailableError(`PostgreSQL ${failureKind(code, error)}`, { cause: error });
}

function failureKind(code: unknown, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (typeof code === 'string') {
    if (TIMEOUT_CODES.has(code)) return `timed out (${code})`;
    if (TERMINATED_CODES.has(code) || code.startsWith('08')) return `connection was lost (${code})`;
    if (code.startsWith('53')) return `is out of resources (${code})`;
    if (NETWORK_CODES.has(code)) return `is unreachable (${code})`;
    if (/^[0-9A-Z]{5}$/.test(code)) return `failed (${code})`;
  }
  if (/timeout/i.test(message)) return 'timed out';
  if (/terminat|connection/i.test(message)) return 'connection was lost';
  return 'failed';
}

/** True when error is the DuplicateKeyError of this unique constraint. */
export function isUniqueViolationOf(error: unknown, constraint: string): boolean {
  return error instanceof DuplicateKeyError && (error.cause as { constraint?: unknown } | undefined)?.constraint === constraint;
}

/**
 * PostgreSQL text cannot hold NUL (the protocol refuses it in everything stored), so a lookup
 * key containing one matches nothing: answer that without asking, as SQLite would, instead of
 * failing with an encoding error.
 */
export const hasNul = (...values: readonly string[]): boolean => values.some((v) => v.includes('\u0000'));
