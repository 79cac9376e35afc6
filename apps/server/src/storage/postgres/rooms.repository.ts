import { toMembership, toRoom, toRoomView, type MembershipRow, type RoomRow, type RoomViewRow } from '../rows.js';
import type { RoomRepository } from '../storage.js';
import { hasNul, statement, type Db } from './db.js';
import { createPostgresRoomModeration, lockAndEndMembership } from './room-moderation.js';

const ROOM_COLUMNS = 'id, kind, name, owner_id, member_count, last_seq, last_rev, topic, created_at';

const INSERT_ROOM = statement(
  'rooms.insert',
  `INSERT INTO rooms (id, kind, name, owner_id, member_count, last_seq, created_at) VALUES ($1, $2, $3, $4, 0, 0, $5)`,
);
// A new room has no messages, invitations or bans: its first members start at 0; its owner ($4) is `owner`.
const INSERT_FIRST_MEMBERS = statement(
  'rooms.insertFirstMembers',
  `INSERT INTO memberships (room_id, user_id, last_read_seq, joined_at, username, role)
   SELECT $1, u.id, 0, $2, u.username, CASE WHEN u.id = $4 THEN 'owner' ELSE 'member' END
     FROM users u WHERE u.id = ANY ($3::text[])
   ON CONFLICT (room_id, user_id) DO NOTHING`,
);
const SET_COUNT = statement('rooms.setCount', `UPDATE rooms SET member_count = $2 WHERE id = $1 RETURNING ${ROOM_COLUMNS}`);
const BY_ID = statement('rooms.byId', `SELECT ${ROOM_COLUMNS} FROM rooms WHERE id = $1`);
const MEMBERSHIP = statement(
  'rooms.membership',
  'SELECT room_id, user_id, last_read_seq, joined_at, role FROM memberships WHERE room_id = $1 AND user_id = $2',
);
// Lock order, everywhere: the room's row first, then memberships (as messages.append does), so
// a member leaving while their message is stored cannot deadlock with it. NO KEY UPDATE is the
// lock `UPDATE rooms SET last_seq` takes; it does not block the foreign-key checks of inserts.
const LOCK_ROOM = statement('rooms.lock', 'SELECT last_seq FROM rooms WHERE id = $1 FOR NO KEY UPDATE');
// Nobody banned from the room gets in: the ban is checked by the statement that adds the member.
const INSERT_MEMBER = statement(
  'rooms.insertMember',
  `INSERT INTO memberships (room_id, user_id, last_read_seq, joined_at, username, role)
   SELECT $1, u.id, $3, $4, u.username, 'member' FROM users u
    WHERE u.id = $2 AND NOT EXISTS (SELECT 1 FROM room_bans b WHERE b.room_id = $1 AND b.user_id = $2)
   ON CONFLICT (room_id, user_id) DO NOTHING`,
);
const BANNED = statement('rooms.banned', 'SELECT 1 FROM room_bans WHERE room_id = $1 AND user_id = $2');
// The membership's mute flag, only when it changes.
const SET_MUTED = statement('rooms.setMuted', 'UPDATE memberships SET muted = $3 WHERE room_id = $1 AND user_id = $2 AND muted <> $3');
const COUNT_MEMBER = statement('rooms.countMember', 'UPDATE rooms SET member_count = member_count + $2 WHERE id = $1');
const DELETE_INVITATION = statement('rooms.deleteInvitation', 'DELETE FROM invitations WHERE room_id = $1 AND user_id = $2');
const ROOM_IDS_OF = statement('rooms.roomIdsOf', 'SELECT room_id FROM memberships WHERE user_id = $1');
/**
 * A room as $1 sees it: their membership, their invitation (private rooms they are not in) with
 * the inviter, and the newest message with its author. The LIMIT keeps the lateral subquery from
 * being flattened into a join the planner could answer by scanning messages: each room's newest
 * message is one probe of the (room_id, seq) unique index, in custom and generic plans alike.
 * Its badges (issue 15) are counted from rows above markers, through message_mentions_user_room_seq
 * and thread_reads_followed: nothing is kept as a counter, so nothing can drift.
 */
const VIEW_SELECT = `
  SELECT r.id, r.kind, r.name, r.owner_id, r.member_count, r.last_seq, r.last_rev, r.topic, r.created_at, m.last_read_seq, m.muted, m.role,
         (SELECT count(*) FROM message_mentions mm
           WHERE mm.user_id = $1 AND mm.room_id = r.id AND mm.seq > m.last_read_seq) AS mention_count,
         (SELECT count(*) FROM thread_reads t JOIN messages root ON root.id = t.thread_root_id
           WHERE t.user_id = $1 AND t.room_id = r.id AND t.following = 1 AND root.last_reply_seq > t.last_read_seq) AS threads_unread,
         lm.text AS last_text, lm.files AS last_files, lm.created_at AS last_created_at, lm.author_id AS last_author_id, lm.username AS last_author_username,
         lm.display_name AS last_author_display_name, lm.deleted_at AS last_author_deleted_at,
         i.invited_by, ib.username AS invited_by_username, ib.display_name AS invited_by_display_name, ib.deleted_at AS invited_by_deleted_at
    FROM rooms r
    LEFT JOIN memberships m ON m.room_id = r.id AND m.user_id = $1
    LEFT JOIN invitations i ON i.room_id = r.id AND i.user_id = $1 AND r.kind = 'private' AND m.user_id IS NULL
    LEFT JOIN users ib ON ib.id = i.invited_by
    LEFT JOIN LATERAL (
      SELECT msg.text, msg.files, msg.created_at, msg.author_id, u.username, u.display_name, u.deleted_at
        FROM messages msg JOIN users u ON u.id = msg.author_id
       WHERE msg.room_id = r.id AND msg.seq = r.last_seq
       LIMIT 1
    ) lm ON true`;
// COLLATE "C": byte order, as SQLite sorts text, whatever the database's locale.
export const VISIBLE = statement(
  'rooms.visible',
  `${VIEW_SELECT}
    WHERE r.kind = 'public' OR m.user_id IS NOT NULL OR i.user_id IS NOT NULL
    ORDER BY r.created_at COLLATE "C", r.id COLLATE "C"`,
);
export const VIEW = statement('rooms.view', `${VIEW_SELECT} WHERE r.id = $2`);
const INSERT_INVITATION = statement(
  'rooms.insertInvitation',
  `INSERT INTO invitations (room_id, user_id, invited_by, created_at) VALUES ($1, $2, $3, $4)
   ON CONFLICT (room_id, user_id) DO NOTHING`,
);
const INVITATION = statement('rooms.invitation', 'SELECT 1 FROM invitations WHERE room_id = $1 AND user_id = $2');
const SHARED_WITH = statement(
  'rooms.sharedWith',
  `SELECT DISTINCT other.user_id FROM memberships mine
     JOIN memberships other ON other.room_id = mine.room_id
    WHERE mine.user_id = $1 AND other.user_id = ANY ($2::text[])`,
);
// One statement: it locks only the membership row, and reads last_seq without locking the room.
const MARK_READ = statement(
  'rooms.markRead',
  `UPDATE memberships m
      SET last_read_seq = GREATEST(m.last_read_seq, LEAST($3::bigint, r.last_seq))
     FROM rooms r
    WHERE r.id = m.room_id AND m.room_id = $1 AND m.user_id = $2
   RETURNING m.last_read_seq`,
);

export function createPostgresRoomRepository(db: Db): RoomRepository {
  return {
    ...createPostgresRoomModeration(db),
    create: (room, memberIds) =>
      db.transaction(async (tx) => {
        await tx.query(INSERT_ROOM, [room.id, room.kind, room.name, room.ownerId, room.createdAt]);
        const added = (await tx.query(INSERT_FIRST_MEMBERS, [room.id, room.createdAt, [...memberIds], room.ownerId])).rowCount ?? 0;
        return toRoom((await tx.query<RoomRow>(SET_COUNT, [room.id, added])).rows[0]!);
      }),

    findById: async (id) => {
      if (hasNul(id)) return null;
      const row = (await db.query<RoomRow>(BY_ID, [id])).rows[0];
      return row ? toRoom(row) : null;
    },

    findMembership: async (roomId, userId) => {
      if (hasNul(roomId, userId)) return null;
      const row = (await db.query<MembershipRow>(MEMBERSHIP, [roomId, userId])).rows[0];
      return row ? toMembership(row) : null;
    },

    addMember: (roomId, userId, joinedAt) =>
      db.transaction(async (tx) => {
        const room = (await tx.query<{ last_seq: string }>(LOCK_ROOM, [roomId])).rows[0];
        // No room: nothing to join (and, by the foreign key, no invitation to drop).
        if (!room) return 'member';
        const added = ((await tx.query(INSERT_MEMBER, [roomId, userId, room.last_seq, joinedAt])).rowCount ?? 0) > 0;
        if (!added && ((await tx.query(BANNED, [roomId, userId])).rowCount ?? 0) > 0) return 'banned';
        if (added) await tx.query(COUNT_MEMBER, [roomId, 1]);
        await tx.query(DELETE_INVITATION, [roomId, userId]);
        return added ? 'added' : 'member';
      }),

    removeMember: (roomId, userId) =>
      db.transaction(async (tx) => (await lockAndEndMembership(tx, roomId, userId)) ?? { removed: false, newOwnerId: null }),

    memberRoomIds: async (userId) => {
      if (hasNul(userId)) return [];
      return (await db.query<{ room_id: string }>(ROOM_IDS_OF, [userId])).rows.map((r) => r.room_id);
    },

    listVisible: async (userId) => {
      const viewer = hasNul(userId) ? '' : userId;
      return (await db.query<RoomViewRow>(VISIBLE, [viewer])).rows.map(toRoomView);
    },

    view: async (roomId, userId) => {
      if (hasNul(roomId)) return null;
      const viewer = hasNul(userId) ? '' : userId;
      const row = (await db.query<RoomViewRow>(VIEW, [viewer, roomId])).rows[0];
      return row ? toRoomView(row) : null;
    },

    addInvitation: async (inv) => {
      await db.query(INSERT_INVITATION, [inv.roomId, inv.userId, inv.invitedBy, inv.createdAt]);
    },

    hasInvitation: async (roomId, userId) => {
      if (hasNul(roomId, userId)) return false;
      return ((await db.query(INVITATION, [roomId, userId])).rowCount ?? 0) > 0;
    },

    removeInvitation: async (roomId, userId) => {
      if (hasNul(roomId, userId)) return;
      await db.query(DELETE_INVITATION, [roomId, userId]);
    },

    sharedWith: async (userId, userIds) => {
      const wanted = userIds.filter((id) => !hasNul(id));
      if (wanted.length === 0 || hasNul(userId)) return [];
      return (await db.query<{ user_id: string }>(SHARED_WITH, [userId, wanted])).rows.map((r) => r.user_id);
    },

    markRead: async (roomId, userId, seq) => {
      if (hasNul(roomId, userId)) return 0;
      const row = (await db.query<{ last_read_seq: string }>(MARK_READ, [roomId, userId, seq])).rows[0];
      return row ? Number(row.last_read_seq) : 0;
    },

    setMuted: async (roomId, userId, muted) => {
      if (hasNul(roomId, userId)) return null;
      if (((await db.query(SET_MUTED, [roomId, userId, muted ? 1 : 0])).rowCount ?? 0) > 0) return true;
      return (await db.query(MEMBERSHIP, [roomId, userId])).rowCount === 0 ? null : false;
    },
  };
}
