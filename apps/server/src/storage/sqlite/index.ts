import path from 'node:path';
import type { Storage } from '../storage.js';
import { openDatabase, run } from './db.js';
import { createDiskBlobStore } from './disk-blob-store.js';
import { createSqliteFileRepository } from './files.repository.js';
import { createSqliteMessageRepository } from './messages.repository.js';
import { createSqliteRoomRepository } from './rooms.repository.js';
import { createSqliteSearchRepository } from './search.repository.js';
import { createSqliteSessionRepository } from './sessions.repository.js';
import { createSqliteUserRepository } from './users.repository.js';

export interface SqliteStorageOptions {
  /** The folder of file bytes (issue 17). Default: `<dataDir>/files`. */
  blobDir?: string;
}

/** Embedded storage: one SQLite file in dataDir, WAL mode, migrated on open; file bytes on disk beside it. */
export function createSqliteStorage(dataDir: string, options: SqliteStorageOptions = {}): Storage {
  const db = openDatabase(dataDir);
  const ping = db.prepare('SELECT 1');
  const knownFileIds = db.prepare<[string], string>('SELECT id FROM files WHERE id IN (SELECT value FROM json_each(?))').pluck();
  return {
    users: createSqliteUserRepository(db),
    sessions: createSqliteSessionRepository(db),
    rooms: createSqliteRoomRepository(db),
    messages: createSqliteMessageRepository(db),
    search: createSqliteSearchRepository(db),
    files: createSqliteFileRepository(db),
    blobs: createDiskBlobStore({
      dir: options.blobDir ?? path.join(dataDir, 'files'),
      knownFileIds: (ids) => run(() => new Set(knownFileIds.all(JSON.stringify(ids)))),
    }),
    ping: () => run(() => void ping.get()),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
