import { toMembership, toRoom, toRoomView, type MembershipRow, type RoomRow, type RoomViewRow } from '../rows.js';
import type { RoomRole } from '@parley/protocol';
import type { AddMemberResult, RoomRecord, RoomRepository } from '../storage.js';
import { run, type Db } from './db.js';
import { createSqliteRoomModeration, endMembership } from './room-moderation.js';

/**
 * A room as @userId sees it: their membership, their invitation (private rooms they are not in)
 * with the inviter, and the newest message with its author. SQLite keeps the order of LEFT JOINs,
 * so each room's newest message is one lookup in the (room_id, seq) unique index. Their badges
 * (issue 15) are counted from rows above markers, through message_mentions_user_room_seq and
 * thread_reads_followed: nothing is kept as a counter, so nothing can drift.
 */
const VIEW_SELECT = `
  SELECT r.*, m.last_read_seq, m.muted, m.role,
         (SELECT COUNT(*) FROM message_mentions mm
           WHERE mm.user_id = @userId AND mm.room_id = r.id AND mm.seq > m.last_read_seq) AS mention_count,
         (SELECT COUNT(*) FROM thread_reads t JOIN messages root ON root.id = t.thread_root_id
           WHERE t.user_id = @userId AND t.room_id = r.id AND t.following = 1 AND root.last_reply_seq > t.last_read_seq) AS threads_unread,
         lm.text AS last_text, lm.files AS last_files, lm.created_at AS last_created_at, lm.author_id AS last_author_id, la.username AS last_author_username,
         la.display_name AS last_author_display_name, la.deleted_at AS last_author_deleted_at,
         i.invited_by, ib.username AS invited_by_username, ib.display_name AS invited_by_display_name, ib.deleted_at AS invited_by_deleted_at
    FROM rooms r
    LEFT JOIN memberships m ON m.room_id = r.id AND m.user_id = @userId
    LEFT JOIN invitations i ON i.room_id = r.id AND i.user_id = @userId AND r.kind = 'private' AND m.user_id IS NULL
    LEFT JOIN users ib ON ib.id = i.invited_by
    LEFT JOIN messages lm ON lm.room_id = r.id AND lm.seq = r.last_seq
    LEFT JOIN users la ON la.id = lm.author_id`;

export function createSqliteRoomRepository(db: Db): RoomRepository {
  const insertRoom = db.prepare(
    `INSERT INTO rooms (id, kind, name, owner_id, member_count, last_seq, created_at)
     VALUES (@id, @kind, @name, @ownerId, 0, 0, @createdAt)`,
  );
  const byId = db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE id = ?');
  const membership = db.prepare<[string, string], MembershipRow>('SELECT * FROM memberships WHERE room_id = ? AND user_id = ?');
  // Nobody banned from the room gets in: the ban is checked by the statement that adds the member.
  const insertMember = db.prepare<{ roomId: string; userId: string; joinedAt: string; role: string }>(
    `INSERT INTO memberships (room_id, user_id, last_read_seq, joined_at, username, role)
     SELECT r.id, u.id, r.last_seq, @joinedAt, u.username, @role FROM rooms r, users u
      WHERE r.id = @roomId AND u.id = @userId
        AND NOT EXISTS (SELECT 1 FROM room_bans b WHERE b.room_id = @roomId AND b.user_id = @userId)
     ON CONFLICT (room_id, user_id) DO NOTHING`,
  );
  const banned = db.prepare<[string, string]>('SELECT 1 FROM room_bans WHERE room_id = ? AND user_id = ?');
  const setMuted = db.prepare<[number, string, string, number]>(
    'UPDATE memberships SET muted = ? WHERE room_id = ? AND user_id = ? AND muted <> ?',
  );
  const countMember = db.prepare<[number, string]>('UPDATE rooms SET member_count = member_count + ? WHERE id = ?');
  const deleteInvitation = db.prepare<[string, string]>('DELETE FROM invitations WHERE room_id = ? AND user_id = ?');
  const roomIdsOf = db.prepare<[string], string>('SELECT room_id FROM memberships WHERE user_id = ?').pluck();
  const visible = db.prepare<{ userId: string }, RoomViewRow>(
    `${VIEW_SELECT}
      WHERE r.kind = 'public' OR m.user_id IS NOT NULL OR i.user_id IS NOT NULL
      ORDER BY r.created_at, r.id`,
  );
  const view = db.prepare<{ userId: string; roomId: string }, RoomViewRow>(`${VIEW_SELECT} WHERE r.id = @roomId`);
  const insertInvitation = db.prepare(
    `INSERT INTO invitations (room_id, user_id, invited_by, created_at)
     VALUES (@roomId, @userId, @invitedBy, @createdAt)
     ON CONFLICT (room_id, user_id) DO NOTHING`,
  );
  const invitation = db.prepare<[string, string]>('SELECT 1 FROM invitations WHERE room_id = ? AND user_id = ?');
  const markRead = db.prepare<[number, string, string]>(
    `UPDATE memberships
        SET last_read_seq = MAX(last_read_seq, MIN(?, (SELECT last_seq FROM rooms WHERE id = memberships.room_id)))
      WHERE room_id = ? AND user_id = ?`,
  );

  const addMember = (roomId: string, userId: string, joinedAt: string, role: RoomRole = 'member'): AddMemberResult => {
    const added = insertMember.run({ roomId, userId, joinedAt, role }).changes > 0;
    if (!added && banned.get(roomId, userId) !== undefined) return 'banned';
    if (added) countMember.run(1, roomId);
    deleteInvitation.run(roomId, userId);
    return added ? 'added' : 'member';
  };

  // Transactions are built once, not per call.
  const addMemberTx = db.transaction(addMember);
  const end = endMembership(db);
  const removeMemberTx = db.transaction(end);
  const setMutedTx = db.transaction((roomId: string, userId: string, muted: boolean) => {
    const flag = muted ? 1 : 0;
    if (setMuted.run(flag, roomId, userId, flag).changes > 0) return true;
    return membership.get(roomId, userId) ? false : null;
  });
  const markReadTx = db.transaction((roomId: string, userId: string, seq: number) => {
    markRead.run(seq, roomId, userId);
    const row = membership.get(roomId, userId);
    return row ? toMembership(row).lastReadSeq : 0;
  });

  const createRoom = db.transaction(
    (room: Omit<RoomRecord, 'memberCount' | 'lastSeq' | 'lastRev' | 'topic'>, memberIds: readonly string[]) => {
      insertRoom.run(room);
      for (const userId of memberIds) addMember(room.id, userId, room.createdAt, userId === room.ownerId ? 'owner' : 'member');
      return toRoom(byId.get(room.id)!);
    },
  );

  return {
    ...createSqliteRoomModeration(db, end),
    create: (room, memberIds) => run(() => createRoom.immediate(room, memberIds)),
    findById: (id) =>
      run(() => {
        const row = byId.get(id);
        return row ? toRoom(row) : null;
      }),
    findMembership: (roomId, userId) =>
      run(() => {
        const row = membership.get(roomId, userId);
        return row ? toMembership(row) : null;
      }),
    addMember: (roomId, userId, joinedAt) => run(() => addMemberTx.immediate(roomId, userId, joinedAt)),
    removeMember: (roomId, userId) => run(() => removeMemberTx.immediate(roomId, userId)),
    memberRoomIds: (userId) => run(() => roomIdsOf.all(userId)),
    listVisible: (userId) => run(() => visible.all({ userId }).map(toRoomView)),
    view: (roomId, userId) =>
      run(() => {
        const row = view.get({ roomId, userId });
        return row ? toRoomView(row) : null;
      }),
    addInvitation: (inv) => run(() => void insertInvitation.run(inv)),
    hasInvitation: (roomId, userId) => run(() => invitation.get(roomId, userId) !== undefined),
    removeInvitation: (roomId, userId) => run(() => void deleteInvitation.run(roomId, userId)),
    sharedWith: (userId, userIds) =>
      run(() => {
        if (userIds.length === 0) return [];
        const placeholders = userIds.map(() => '?').join(', ');
        return db
          .prepare<string[], string>(
            `SELECT DISTINCT other.user_id FROM memberships mine
               JOIN memberships other ON other.room_id = mine.room_id
              WHERE mine.user_id = ? AND other.user_id IN (${placeholders})`,
          )
          .pluck()
          .all(userId, ...userIds);
      }),
    markRead: (roomId, userId, seq) => run(() => markReadTx.immediate(roomId, userId, seq)),
    setMuted: (roomId, userId, muted) => run(() => setMutedTx.immediate(roomId, userId, muted)),
  };
}
