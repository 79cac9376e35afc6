import { toActiveSession, type SessionUserRow } from '../rows.js';
import type { SessionRepository } from '../storage.js';
import { hasNul, statement, type Db } from './db.js';

const INSERT = statement('sessions.insert', 'INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)');
const ACTIVE = statement(
  'sessions.active',
  `SELECT s.id, s.user_id, s.created_at, s.expires_at, u.username, u.display_name, u.deleted_at
     FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = $1 AND s.expires_at > $2 AND u.deleted_at IS NULL`,
);
const DELETE = statement('sessions.delete', 'DELETE FROM sessions WHERE id = $1');
const DELETE_EXPIRED = statement('sessions.deleteExpired', 'DELETE FROM sessions WHERE expires_at <= $1');
const DELETE_FOR_USER = statement('sessions.deleteForUser', 'DELETE FROM sessions WHERE user_id = $1 AND id <> $2 RETURNING id');

export function createPostgresSessionRepository(db: Db): SessionRepository {
  return {
    create: async (session) => {
      await db.query(INSERT, [session.id, session.userId, session.createdAt, session.expiresAt]);
    },
    findActive: async (id, now) => {
      if (hasNul(id)) return null;
      const row = (await db.query<SessionUserRow>(ACTIVE, [id, now])).rows[0];
      return row ? toActiveSession(row) : null;
    },
    delete: async (id) => {
      if (hasNul(id)) return false;
      return ((await db.query(DELETE, [id])).rowCount ?? 0) > 0;
    },
    deleteExpired: async (now) => (await db.query(DELETE_EXPIRED, [now])).rowCount ?? 0,
    // '' is no session's id (ids are SHA-256 hex): without exceptId every session goes.
    deleteForUser: async (userId, exceptId = '') => {
      if (hasNul(userId) || hasNul(exceptId)) return [];
      return (await db.query<{ id: string }>(DELETE_FOR_USER, [userId, exceptId])).rows.map((row) => row.id);
    },
  };
}
