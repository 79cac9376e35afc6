import type { User } from '@parley/protocol';
import { toUserRecord, type UserRow } from '../rows.js';
import type { UserRepository } from '../storage.js';
import { run, type Db } from './db.js';

export function createSqliteUserRepository(db: Db): UserRepository {
  const insert = db.prepare(
    'INSERT INTO users (id, username, password_hash, created_at) VALUES (@id, @username, @passwordHash, @createdAt)',
  );
  const byUsername = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?');
  const byId = db.prepare<[string], User>('SELECT id, username FROM users WHERE id = ?');
  const byPrefix = db.prepare<[string, number], User>(
    "SELECT id, username FROM users WHERE username LIKE ? ESCAPE '\\' ORDER BY username LIMIT ?",
  );

  return {
    create: (user) => run(() => void insert.run(user)),
    findByUsername: (username) =>
      run(() => {
        const row = byUsername.get(username);
        return row ? toUserRecord(row) : null;
      }),
    findById: (id) => run(() => byId.get(id) ?? null),
    findByIds: (ids) =>
      run(() => {
        if (ids.length === 0) return [];
        const placeholders = ids.map(() => '?').join(', ');
        return db.prepare<string[], User>(`SELECT id, username FROM users WHERE id IN (${placeholders})`).all(...ids);
      }),
    searchByPrefix: (prefix, limit) => run(() => byPrefix.all(`${escapeLike(prefix)}%`, limit)),
  };
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
