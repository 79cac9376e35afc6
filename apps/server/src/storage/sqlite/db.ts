import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DuplicateKeyError, MutationRefusedError, StorageUnavailableError } from '../errors.js';
import { migrations } from './migrations.js';

export type Db = Database.Database;

export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'parley.db'));
  db.pragma('journal_mode = WAL');
  // FULL syncs the WAL on every commit, so an acknowledged message survives power loss too.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/**
 * Runs `commit` (a transaction) with `synchronous = NORMAL`: the COMMIT writes the WAL without an
 * fsync. For the write queue, whose answers wait for WalSync's fsync (ADR 0009), and the search
 * indexer, whose batches are redone when lost. Every other write keeps FULL.
 */
export function withoutFsync(db: Db): <T>(commit: () => T) => T {
  const normal = db.prepare('PRAGMA synchronous = NORMAL');
  const full = db.prepare('PRAGMA synchronous = FULL');
  return (commit) => {
    normal.run();
    try {
      return commit();
    } finally {
      full.run();
    }
  };
}

function migrate(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }).immediate();
  }
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Runs a synchronous database call and turns its failures into the storage errors the
 * domain understands: a broken unique rule, or storage being unavailable.
 */
export function run<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(toStorageError(error));
  }
}

/** Errors already in the storage's terms (a refusal of what is stored included) pass unchanged. */
export function toStorageError(error: unknown): Error {
  if (error instanceof StorageUnavailableError || error instanceof DuplicateKeyError || error instanceof MutationRefusedError) return error;
  if (isUniqueViolation(error)) return new DuplicateKeyError('duplicate key', { cause: error });
  return new StorageUnavailableError('SQLite failed', { cause: error });
}
