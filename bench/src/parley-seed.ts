import { randomBytes } from 'node:crypto';
import { sessionIdOf } from '../../apps/server/src/domain/auth.service.js';
import { hashPassword } from '../../apps/server/src/domain/passwords.js';
import { openDatabase } from '../../apps/server/src/storage/sqlite/db.js';
import { createSearchIndexer } from '../../apps/server/src/storage/sqlite/search-index.js';

/**
 * Bulk-creates benchmark accounts with sessions in a Parley data folder, through the server's
 * own schema. Registering thousands of users over HTTP would spend minutes in scrypt, which is
 * not what the benchmark measures; everything after this (handshake, rooms, messages) goes
 * through the real contract.
 */
export async function seedUsers(dataDir: string, count: number): Promise<string[]> {
  const db = openDatabase(dataDir);
  const passwordHash = await hashPassword('bench password');
  const now = new Date().toISOString();
  const insertUser = db.prepare('INSERT INTO users (id, username, password_hash, created_at) VALUES (?, ?, ?, ?)');
  const insertSession = db.prepare('INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)');
  const tokens: string[] = [];
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = `u_bench${i}`;
      const token = randomBytes(32).toString('base64url');
      insertUser.run(id, `bench_${i}`, passwordHash, now);
      insertSession.run(sessionIdOf(token), id, now, Date.now() + 86_400_000);
      tokens.push(token);
    }
  })();
  db.close();
  return tokens;
}

/**
 * Stores `rooms` public rooms of `perRoom` messages each, straight into the schema, for the
 * history scenario. Returns the room ids, largest first.
 */
export function seedHistory(dataDir: string, rooms: number, perRoom: number): string[] {
  const db = openDatabase(dataDir);
  const now = new Date().toISOString();
  db.prepare('INSERT OR IGNORE INTO users (id, username, password_hash, created_at) VALUES (?, ?, ?, ?)').run(
    'u_author',
    'author',
    'x',
    now,
  );
  const insertRoom = db.prepare(
    "INSERT INTO rooms (id, kind, name, owner_id, member_count, last_seq, last_rev, created_at) VALUES (?, 'public', ?, 'u_author', 1, ?, ?, ?)",
  );
  const insertMessage = db.prepare(
    'INSERT INTO messages (id, room_id, seq, rev, author_id, client_msg_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const ids: string[] = [];
  const text = 'A message of ordinary length, about as long as people write them in a busy room.';
  for (let r = 0; r < rooms; r++) {
    const roomId = `r_history${r}`;
    ids.push(roomId);
    bulkMessages(db, () => {
      // Each message is the room's change of the same number: rev = seq, as the v2 migration sets them.
      insertRoom.run(roomId, `history ${r}`, perRoom, perRoom, now);
      for (let seq = 1; seq <= perRoom; seq++) {
        insertMessage.run(`m_h${r}_${seq}`, roomId, seq, seq, 'u_author', `c${seq}`, text, now);
      }
    });
  }
  db.close();
  return ids;
}

/**
 * Runs `insert` (many messages) in one transaction, then indexes them for search in one more, as
 * the server's indexer does in batches (migration 7: an insert indexes nothing): the server starts
 * with nothing left to index.
 */
export function bulkMessages(db: ReturnType<typeof openDatabase>, insert: () => void): void {
  db.transaction(insert)();
  createSearchIndexer(db).catchUp();
}
