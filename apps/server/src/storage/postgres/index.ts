import type { Storage } from '../storage.js';
import { openDatabase, statement, type PostgresStorageOptions } from './db.js';
import { createPostgresFileRepository } from './files.repository.js';
import { createPostgresMessageRepository } from './messages.repository.js';
import { createPgBlobStore } from './pg-blob-store.js';
import { createPostgresRoomRepository } from './rooms.repository.js';
import { createPostgresSearchRepository } from './search.repository.js';
import { createPostgresSessionRepository } from './sessions.repository.js';
import { createPostgresUserRepository } from './users.repository.js';

export type { PostgresStorageOptions } from './db.js';

const PING = statement('ping', 'SELECT 1');

/**
 * Shared storage for several nodes: a pg.Pool on one PostgreSQL database (optionally one
 * schema of it), migrated on start-up; file bytes chunked in it too, so every node serves every file. Rejects with StorageUnavailableError when PostgreSQL
 * cannot be reached or migrated.
 */
export async function createPostgresStorage(options: PostgresStorageOptions): Promise<Storage> {
  const db = await openDatabase(options);
  return {
    users: createPostgresUserRepository(db),
    sessions: createPostgresSessionRepository(db),
    rooms: createPostgresRoomRepository(db),
    messages: createPostgresMessageRepository(db),
    search: createPostgresSearchRepository(db),
    files: createPostgresFileRepository(db),
    blobs: createPgBlobStore(db),
    ping: async () => {
      await db.query(PING);
    },
    close: () => db.close(),
  };
}
