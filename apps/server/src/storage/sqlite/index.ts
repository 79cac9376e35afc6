import type { Storage } from '../storage.js';
import { openDatabase, run } from './db.js';
import { createSqliteMessageRepository } from './messages.repository.js';
import { createSqliteRoomRepository } from './rooms.repository.js';
import { createSqliteSearchRepository } from './search.repository.js';
import { createSqliteSessionRepository } from './sessions.repository.js';
import { createSqliteUserRepository } from './users.repository.js';

/** Embedded storage: one SQLite file in dataDir, WAL mode, migrated on open. */
export function createSqliteStorage(dataDir: string): Storage {
  const db = openDatabase(dataDir);
  const ping = db.prepare('SELECT 1');
  return {
    users: createSqliteUserRepository(db),
    sessions: createSqliteSessionRepository(db),
    rooms: createSqliteRoomRepository(db),
    messages: createSqliteMessageRepository(db),
    search: createSqliteSearchRepository(db),
    ping: () => run(() => void ping.get()),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
