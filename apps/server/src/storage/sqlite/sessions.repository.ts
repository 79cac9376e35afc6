import { toActiveSession, type SessionUserRow } from '../rows.js';
import type { SessionRepository } from '../storage.js';
import { run, type Db } from './db.js';

export function createSqliteSessionRepository(db: Db): SessionRepository {
  const insert = db.prepare('INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (@id, @userId, @createdAt, @expiresAt)');
  const active = db.prepare<[string, number], SessionUserRow>(
    `SELECT s.id, s.user_id, s.created_at, s.expires_at, u.username, u.display_name, u.deleted_at
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = ? AND s.expires_at > ? AND u.deleted_at IS NULL`,
  );
  const remove = db.prepare<[string]>('DELETE FROM sessions WHERE id = ?');
  const removeExpired = db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?');
  const removeForUser = db.prepare<[string, string], { id: string }>('DELETE FROM sessions WHERE user_id = ? AND id <> ? RETURNING id');

  return {
    create: (session) => run(() => void insert.run(session)),
    findActive: (id, now) =>
      run(() => {
        const row = active.get(id, now);
        return row ? toActiveSession(row) : null;
      }),
    delete: (id) => run(() => remove.run(id).changes > 0),
    deleteExpired: (now) => run(() => removeExpired.run(now).changes),
    // '' is no session's id (ids are SHA-256 hex): without exceptId every session goes.
    deleteForUser: (userId, exceptId = '') => run(() => removeForUser.all(userId, exceptId).map((row) => row.id)),
  };
}
