import { toRoom, toUserOf, type RoomRow, type UserNameRow } from '../rows.js';
import type { RoomRole } from '@parley/protocol';
import type { RemovedMember, RoomModeration } from '../moderation.js';
import { run, type Db } from './db.js';

/** Ends a membership inside the caller's transaction (see endMembership). */
export type EndMembership = (roomId: string, userId: string) => RemovedMember;

/**
 * Ends a membership: the row, the member count, the threads followed in the room. When it was the
 * owner's, the longest-standing admin (else member) becomes owner, rooms.owner_id with it; with
 * nobody left the room has no owner. Runs inside the caller's transaction.
 */
export function endMembership(db: Db): EndMembership {
  const deleteMember = db
    .prepare<[string, string], RoomRole>('DELETE FROM memberships WHERE room_id = ? AND user_id = ? RETURNING role')
    .pluck();
  const countMember = db.prepare<[string]>('UPDATE rooms SET member_count = member_count - 1 WHERE id = ?');
  // Leaving a room ends the threads followed in it (and their markers).
  const dropThreadReads = db.prepare<[string, string]>('DELETE FROM thread_reads WHERE room_id = ? AND user_id = ?');
  const successor = db
    .prepare<[string], string>(
      `SELECT user_id FROM memberships WHERE room_id = ?
        ORDER BY CASE role WHEN 'admin' THEN 0 ELSE 1 END, joined_at, username, user_id LIMIT 1`,
    )
    .pluck();
  const makeOwner = db.prepare<[string, string]>("UPDATE memberships SET role = 'owner' WHERE room_id = ? AND user_id = ?");
  const setOwner = db.prepare<[string | null, string]>('UPDATE rooms SET owner_id = ? WHERE id = ?');
  return (roomId, userId) => {
    const role = deleteMember.get(roomId, userId);
    dropThreadReads.run(roomId, userId);
    if (role === undefined) return { removed: false, newOwnerId: null };
    countMember.run(roomId);
    if (role !== 'owner') return { removed: true, newOwnerId: null };
    const newOwnerId = successor.get(roomId) ?? null;
    if (newOwnerId !== null) makeOwner.run(roomId, newOwnerId);
    setOwner.run(newOwnerId, roomId);
    return { removed: true, newOwnerId };
  };
}

/** The SQL of room:members, for the plan test: a keyset page on memberships_room_username. */
export const MEMBERS_SQL = `
  SELECT m.role, u.id, u.username, u.display_name, u.deleted_at
    FROM memberships m JOIN users u ON u.id = m.user_id
   WHERE m.room_id = @roomId AND m.username > @after
   ORDER BY m.username
   LIMIT @limit`;

export function createSqliteRoomModeration(db: Db, end: EndMembership): RoomModeration {
  const byId = db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE id = ?');
  const update = db.prepare<{ roomId: string; name: string | null; topic: string | null }, RoomRow>(
    'UPDATE rooms SET name = COALESCE(@name, name), topic = COALESCE(@topic, topic) WHERE id = @roomId RETURNING *',
  );
  const setRole = db.prepare<{ roomId: string; userId: string; role: string }>(
    "UPDATE memberships SET role = @role WHERE room_id = @roomId AND user_id = @userId AND role <> 'owner' AND role <> @role",
  );
  const insertBan = db.prepare<{ roomId: string; userId: string; bannedBy: string; createdAt: string }>(
    `INSERT INTO room_bans (room_id, user_id, banned_by, created_at) VALUES (@roomId, @userId, @bannedBy, @createdAt)
     ON CONFLICT (room_id, user_id) DO NOTHING`,
  );
  const deleteInvitation = db.prepare<[string, string]>('DELETE FROM invitations WHERE room_id = ? AND user_id = ?');
  const deleteBan = db.prepare<[string, string]>('DELETE FROM room_bans WHERE room_id = ? AND user_id = ?');
  const banned = db.prepare<[string, string]>('SELECT 1 FROM room_bans WHERE room_id = ? AND user_id = ?');
  const members = db.prepare<{ roomId: string; after: string; limit: number }, UserNameRow & { role: RoomRole }>(MEMBERS_SQL);

  const banTx = db.transaction((ban: Parameters<RoomModeration['ban']>[0]) => {
    if (byId.get(ban.roomId) === undefined) return false;
    const { removed } = end(ban.roomId, ban.userId);
    deleteInvitation.run(ban.roomId, ban.userId);
    insertBan.run(ban);
    return removed;
  });

  return {
    update: (roomId, change) =>
      run(() => {
        const row = update.get({ roomId, name: change.name ?? null, topic: change.topic ?? null });
        return row ? toRoom(row) : null;
      }),
    setRole: (roomId, userId, role) => run(() => setRole.run({ roomId, userId, role }).changes > 0),
    ban: (ban) => run(() => banTx.immediate(ban)),
    unban: (roomId, userId) => run(() => deleteBan.run(roomId, userId).changes > 0),
    isBanned: (roomId, userId) => run(() => banned.get(roomId, userId) !== undefined),
    members: (roomId, { after = '', limit }) =>
      run(() => members.all({ roomId, after, limit }).map((row) => ({ user: toUserOf(row), role: row.role }))),
  };
}
