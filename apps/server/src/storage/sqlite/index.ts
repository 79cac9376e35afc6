import path from 'node:path';
import type { Storage } from '../storage.js';
import { openDatabase, run } from './db.js';
import { createDiskBlobStore } from './disk-blob-store.js';
import { createSqliteFileRepository } from './files.repository.js';
import { createSqliteMessageRepository } from './messages.repository.js';
import { createSqliteRoomRepository } from './rooms.repository.js';
import { createSearchIndexer, runSearchIndexer, SEARCH_INDEX_INTERVAL_MS } from './search-index.js';
import { createSqliteSearchRepository } from './search.repository.js';
import { createSqliteSessionRepository } from './sessions.repository.js';
import { createSqliteUserRepository } from './users.repository.js';
import { WalSync, type Datasync } from './wal-sync.js';

export interface SqliteStorageOptions {
  /** The folder of file bytes (issue 17). Default: `<dataDir>/files`. */
  blobDir?: string;
  /** How the WAL file is flushed after a group commit (ADR 0009). Default: `fs.fdatasync`; tests inject a slow or failing one. */
  datasync?: Datasync;
  /** How often new messages are indexed for search in the background (migration 7); 0: only before a search. */
  searchIndexIntervalMs?: number;
}

/** Embedded storage: one SQLite file in dataDir, WAL mode, migrated on open; file bytes on disk beside it. */
export function createSqliteStorage(dataDir: string, options: SqliteStorageOptions = {}): Storage {
  const db = openDatabase(dataDir);
  const wal = new WalSync(`${db.name}-wal`, options.datasync);
  const settled = <R extends object>(repository: R) => settledBy(wal, repository);
  const indexer = createSearchIndexer(db);
  const stopIndexing = runSearchIndexer(indexer, options.searchIndexIntervalMs ?? SEARCH_INDEX_INTERVAL_MS);
  const ping = db.prepare('SELECT 1');
  const knownFileIds = db.prepare<[string], string>('SELECT id FROM files WHERE id IN (SELECT value FROM json_each(?))').pluck();
  return {
    users: settled(createSqliteUserRepository(db)),
    sessions: settled(createSqliteSessionRepository(db)),
    rooms: settled(createSqliteRoomRepository(db)),
    messages: settled(createSqliteMessageRepository(db, wal)),
    search: settled(createSqliteSearchRepository(db, indexer)),
    files: settled(createSqliteFileRepository(db)),
    blobs: createDiskBlobStore({
      dir: options.blobDir ?? path.join(dataDir, 'files'),
      knownFileIds: (ids) => run(() => new Set(knownFileIds.all(JSON.stringify(ids)))),
    }),
    ping: () => run(() => void ping.get()),
    close: async () => {
      stopIndexing();
      // Answers still waiting for an fsync get it before the file closes.
      await wal.durable().catch(() => undefined);
      wal.close();
      if (db.open) db.close();
    },
  };
}

/**
 * A repository whose every answer waits until the commits made before it was read are durable
 * (WalSync): a read never shows a client a message, seq or rev that a crash could take back.
 * Nothing waits when no fsync is pending, which is nearly always.
 */
function settledBy<R extends object>(wal: WalSync, repository: R): R {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(repository)) {
    if (typeof value !== 'function') {
      wrapped[name] = value;
      continue;
    }
    wrapped[name] = (...args: unknown[]) => {
      const answer = (value as (...a: unknown[]) => Promise<unknown>).apply(repository, args);
      const mark = wal.mark;
      return answer.then((result) => wal.settle(result, mark));
    };
  }
  return wrapped as R;
}
