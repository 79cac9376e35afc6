import { USER_COLUMNS, toUserOf, toUserRecord, type UserNameRow, type UserRow } from '../rows.js';
import type { UserRepository } from '../storage.js';
import { run, type Db } from './db.js';

type UserName = UserNameRow;

export function createSqliteUserRepository(db: Db): UserRepository {
  const insert = db.prepare(
    'INSERT INTO users (id, username, password_hash, created_at) VALUES (@id, @username, @passwordHash, @createdAt)',
  );
  // A deleted account cannot sign in: its username stays taken (the unique index) but finds nobody.
  const byUsername = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ? AND deleted_at IS NULL');
  const byId = db.prepare<[string], UserName>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`);
  const byPrefix = db.prepare<[string, number], UserName>(
    `SELECT ${USER_COLUMNS} FROM users WHERE username LIKE ? ESCAPE '\\' AND deleted_at IS NULL ORDER BY username LIMIT ?`,
  );
  const membersByPrefix = db.prepare<[string, string, number], UserName>(
    `SELECT u.id, u.username, u.display_name, u.deleted_at FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.room_id = ? AND u.username LIKE ? ESCAPE '\\' ORDER BY u.username LIMIT ?`,
  );
  const setName = db.prepare<[string, string], UserName>(
    `UPDATE users SET display_name = ? WHERE id = ? AND deleted_at IS NULL RETURNING ${USER_COLUMNS}`,
  );
  const setHash = db.prepare<[string, string]>('UPDATE users SET password_hash = ? WHERE id = ? AND deleted_at IS NULL');
  const markGone = db.prepare<[string, string]>(
    "UPDATE users SET deleted_at = ?, password_hash = '', display_name = '' WHERE id = ? AND deleted_at IS NULL",
  );
  const dropInvitations = db.prepare<[string]>('DELETE FROM invitations WHERE user_id = ?');
  const markDeleted = db.transaction((userId: string, deletedAt: string) => {
    if (markGone.run(deletedAt, userId).changes === 0) return false;
    dropInvitations.run(userId);
    return true;
  });

  return {
    create: (user) => run(() => void insert.run(user)),
    findByUsername: (username) =>
      run(() => {
        const row = byUsername.get(username);
        return row ? toUserRecord(row) : null;
      }),
    findById: (id) =>
      run(() => {
        const row = byId.get(id);
        return row ? toUserOf(row) : null;
      }),
    findByIds: (ids) =>
      run(() => {
        if (ids.length === 0) return [];
        const placeholders = ids.map(() => '?').join(', ');
        return db
          .prepare<string[], UserName>(`SELECT ${USER_COLUMNS} FROM users WHERE id IN (${placeholders})`)
          .all(...ids)
          .map(toUserOf);
      }),
    searchByPrefix: (prefix, limit, roomId) =>
      run(() => {
        const pattern = `${escapeLike(prefix)}%`;
        const rows = roomId === undefined ? byPrefix.all(pattern, limit) : membersByPrefix.all(roomId, pattern, limit);
        return rows.map(toUserOf);
      }),
    setDisplayName: (userId, displayName) =>
      run(() => {
        const row = setName.get(displayName, userId);
        return row ? toUserOf(row) : null;
      }),
    setPasswordHash: (userId, passwordHash) => run(() => setHash.run(passwordHash, userId).changes > 0),
    markDeleted: (userId, deletedAt) => run(() => markDeleted.immediate(userId, deletedAt)),
  };
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
