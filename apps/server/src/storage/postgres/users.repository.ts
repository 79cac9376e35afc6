import { USER_COLUMNS, toUserOf, toUserRecord, type UserNameRow, type UserRow } from '../rows.js';
import type { UserRepository } from '../storage.js';
import { hasNul, statement, type Db } from './db.js';

const INSERT = statement('users.insert', 'INSERT INTO users (id, username, password_hash, created_at) VALUES ($1, $2, $3, $4)');
// A deleted account cannot sign in: its username stays taken (the unique index) but finds nobody.
const BY_USERNAME = statement(
  'users.byUsername',
  `SELECT ${USER_COLUMNS}, password_hash, created_at FROM users WHERE username = $1 AND deleted_at IS NULL`,
);
const BY_ID = statement('users.byId', `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`);
const BY_IDS = statement('users.byIds', `SELECT ${USER_COLUMNS} FROM users WHERE id = ANY ($1::text[])`);
// username is COLLATE "C": byte order as in SQLite, and the unique index serves the prefix.
const BY_PREFIX = statement(
  'users.byPrefix',
  `SELECT ${USER_COLUMNS} FROM users WHERE username LIKE $1 ESCAPE '\\' AND deleted_at IS NULL ORDER BY username LIMIT $2`,
);
const MEMBERS_BY_PREFIX = statement(
  'users.membersByPrefix',
  `SELECT u.id, u.username, u.display_name, u.deleted_at FROM memberships m JOIN users u ON u.id = m.user_id
   WHERE m.room_id = $1 AND u.username LIKE $2 ESCAPE '\\' ORDER BY u.username LIMIT $3`,
);

const SET_DISPLAY_NAME = statement(
  'users.setDisplayName',
  `UPDATE users SET display_name = $2 WHERE id = $1 AND deleted_at IS NULL RETURNING ${USER_COLUMNS}`,
);
const SET_PASSWORD_HASH = statement('users.setPasswordHash', 'UPDATE users SET password_hash = $2 WHERE id = $1 AND deleted_at IS NULL');
const MARK_DELETED = statement(
  'users.markDeleted',
  "UPDATE users SET deleted_at = $2, password_hash = '', display_name = '' WHERE id = $1 AND deleted_at IS NULL",
);
const DROP_INVITATIONS = statement('users.dropInvitations', 'DELETE FROM invitations WHERE user_id = $1');

type UserName = UserNameRow;
const toUsers = (rows: UserName[]) => rows.map(toUserOf);

export function createPostgresUserRepository(db: Db): UserRepository {
  return {
    create: async (user) => {
      await db.query(INSERT, [user.id, user.username, user.passwordHash, user.createdAt]);
    },
    findByUsername: async (username) => {
      if (hasNul(username)) return null;
      const row = (await db.query<UserRow>(BY_USERNAME, [username])).rows[0];
      return row ? toUserRecord(row) : null;
    },
    findById: async (id) => {
      if (hasNul(id)) return null;
      const row = (await db.query<UserName>(BY_ID, [id])).rows[0];
      return row ? toUserOf(row) : null;
    },
    findByIds: async (ids) => {
      const wanted = ids.filter((id) => !hasNul(id));
      if (wanted.length === 0) return [];
      return toUsers((await db.query<UserName>(BY_IDS, [wanted])).rows);
    },
    searchByPrefix: async (prefix, limit, roomId) => {
      if (hasNul(prefix) || (roomId !== undefined && hasNul(roomId))) return [];
      const pattern = `${escapeLike(prefix)}%`;
      const result =
        roomId === undefined
          ? await db.query<UserName>(BY_PREFIX, [pattern, limit])
          : await db.query<UserName>(MEMBERS_BY_PREFIX, [roomId, pattern, limit]);
      return toUsers(result.rows);
    },
    setDisplayName: async (userId, displayName) => {
      if (hasNul(userId) || hasNul(displayName)) return null;
      const row = (await db.query<UserName>(SET_DISPLAY_NAME, [userId, displayName])).rows[0];
      return row ? toUserOf(row) : null;
    },
    setPasswordHash: async (userId, passwordHash) => {
      if (hasNul(userId)) return false;
      return ((await db.query(SET_PASSWORD_HASH, [userId, passwordHash])).rowCount ?? 0) > 0;
    },
    markDeleted: async (userId, deletedAt) => {
      if (hasNul(userId)) return false;
      return db.transaction(async (tx) => {
        if (((await tx.query(MARK_DELETED, [userId, deletedAt])).rowCount ?? 0) === 0) return false;
        await tx.query(DROP_INVITATIONS, [userId]);
        return true;
      });
    },
  };
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
