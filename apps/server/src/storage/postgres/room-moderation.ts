import type { RoomRole } from '@parley/protocol';
import type { RemovedMember, RoomModeration } from '../moderation.js';
import { toRoom, toUserOf, type RoomRow, type UserNameRow } from '../rows.js';
import { hasNul, statement, type Db, type Queryable } from './db.js';

const ROOM_COLUMNS = 'id, kind, name, owner_id, member_count, last_seq, last_rev, topic, created_at';
// Lock order, everywhere: the room's row first, then memberships (rooms.repository.ts).
const LOCK_ROOM = statement('moderation.lockRoom', 'SELECT 1 FROM rooms WHERE id = $1 FOR NO KEY UPDATE');
const DELETE_MEMBER = statement('moderation.deleteMember', 'DELETE FROM memberships WHERE room_id = $1 AND user_id = $2 RETURNING role');
const COUNT_DOWN = statement('moderation.countDown', 'UPDATE rooms SET member_count = member_count - 1 WHERE id = $1');
// Leaving a room ends the threads followed in it (and their markers).
const DROP_THREAD_READS = statement('moderation.dropThreadReads', 'DELETE FROM thread_reads WHERE room_id = $1 AND user_id = $2');
const SUCCESSOR = statement(
  'moderation.successor',
  `SELECT user_id FROM memberships WHERE room_id = $1
    ORDER BY CASE role WHEN 'admin' THEN 0 ELSE 1 END, joined_at COLLATE "C", username, user_id COLLATE "C" LIMIT 1`,
);
const MAKE_OWNER = statement('moderation.makeOwner', "UPDATE memberships SET role = 'owner' WHERE room_id = $1 AND user_id = $2");
const SET_OWNER = statement('moderation.setOwner', 'UPDATE rooms SET owner_id = $2 WHERE id = $1');
const UPDATE = statement(
  'moderation.update',
  `UPDATE rooms SET name = COALESCE($2, name), topic = COALESCE($3, topic) WHERE id = $1 RETURNING ${ROOM_COLUMNS}`,
);
const SET_ROLE = statement(
  'moderation.setRole',
  "UPDATE memberships SET role = $3 WHERE room_id = $1 AND user_id = $2 AND role <> 'owner' AND role <> $3",
);
const INSERT_BAN = statement(
  'moderation.insertBan',
  `INSERT INTO room_bans (room_id, user_id, banned_by, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (room_id, user_id) DO NOTHING`,
);
const DELETE_INVITATION = statement('moderation.deleteInvitation', 'DELETE FROM invitations WHERE room_id = $1 AND user_id = $2');
const DELETE_BAN = statement('moderation.deleteBan', 'DELETE FROM room_bans WHERE room_id = $1 AND user_id = $2');
const BANNED = statement('moderation.banned', 'SELECT 1 FROM room_bans WHERE room_id = $1 AND user_id = $2');
/** room:members: a keyset page on memberships_room_username (byte order, as the column is "C"). */
export const MEMBERS = statement(
  'moderation.members',
  `SELECT m.role, u.id, u.username, u.display_name, u.deleted_at
     FROM memberships m JOIN users u ON u.id = m.user_id
    WHERE m.room_id = $1 AND m.username > $2
    ORDER BY m.username
    LIMIT $3`,
);

/**
 * Ends a membership inside the caller's transaction, the room's row already locked: the row, the
 * member count, the threads followed in the room. When it was the owner's, the longest-standing
 * admin (else member) becomes owner, rooms.owner_id with it; with nobody left, no owner.
 */
export async function endMembership(tx: Queryable, roomId: string, userId: string): Promise<RemovedMember> {
  const deleted = (await tx.query<{ role: RoomRole }>(DELETE_MEMBER, [roomId, userId])).rows[0];
  await tx.query(DROP_THREAD_READS, [roomId, userId]);
  if (!deleted) return { removed: false, newOwnerId: null };
  await tx.query(COUNT_DOWN, [roomId]);
  if (deleted.role !== 'owner') return { removed: true, newOwnerId: null };
  const newOwnerId = (await tx.query<{ user_id: string }>(SUCCESSOR, [roomId])).rows[0]?.user_id ?? null;
  if (newOwnerId !== null) await tx.query(MAKE_OWNER, [roomId, newOwnerId]);
  await tx.query(SET_OWNER, [roomId, newOwnerId]);
  return { removed: true, newOwnerId };
}

/** Locks the room and ends the membership; nothing when there is no such room. */
export async function lockAndEndMembership(tx: Queryable, roomId: string, userId: string): Promise<RemovedMember | null> {
  if ((await tx.query(LOCK_ROOM, [roomId])).rowCount === 0) return null;
  return endMembership(tx, roomId, userId);
}

export function createPostgresRoomModeration(db: Db): RoomModeration {
  return {
    update: async (roomId, change) => {
      if (hasNul(roomId)) return null;
      const row = (await db.query<RoomRow>(UPDATE, [roomId, change.name ?? null, change.topic ?? null])).rows[0];
      return row ? toRoom(row) : null;
    },

    setRole: async (roomId, userId, role) => {
      if (hasNul(roomId, userId)) return false;
      return ((await db.query(SET_ROLE, [roomId, userId, role])).rowCount ?? 0) > 0;
    },

    ban: (ban) =>
      db.transaction(async (tx) => {
        const ended = await lockAndEndMembership(tx, ban.roomId, ban.userId);
        if (!ended) return false;
        await tx.query(DELETE_INVITATION, [ban.roomId, ban.userId]);
        await tx.query(INSERT_BAN, [ban.roomId, ban.userId, ban.bannedBy, ban.createdAt]);
        return ended.removed;
      }),

    unban: async (roomId, userId) => {
      if (hasNul(roomId, userId)) return false;
      return ((await db.query(DELETE_BAN, [roomId, userId])).rowCount ?? 0) > 0;
    },

    isBanned: async (roomId, userId) => {
      if (hasNul(roomId, userId)) return false;
      return ((await db.query(BANNED, [roomId, userId])).rowCount ?? 0) > 0;
    },

    members: async (roomId, { after = '', limit }) => {
      if (hasNul(roomId, after)) return [];
      const rows = (await db.query<UserNameRow & { role: RoomRole }>(MEMBERS, [roomId, after, limit])).rows;
      return rows.map((row) => ({ user: toUserOf(row), role: row.role }));
    },
  };
}
