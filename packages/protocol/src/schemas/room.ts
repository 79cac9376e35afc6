import { z } from 'zod';
import { LIMITS } from '../rooms.js';
import { hasDirectionControl, hasVisibleCharacter, normalizeRoomName } from '../text.js';
import { codePointsBetween, idSchema, roomIdSchema, isoTimeSchema, seqSchema, storableText } from './common.js';
import { userSchema } from './user.js';

export const ROOM_KINDS = ['public', 'private', 'dm'] as const;
export const roomKindSchema = z.enum(ROOM_KINDS);
export type RoomKind = z.infer<typeof roomKindSchema>;

export const ROOM_ROLES = ['owner', 'admin', 'member'] as const;
export const roomRoleSchema = z.enum(ROOM_ROLES);
export type RoomRole = z.infer<typeof roomRoleSchema>;

export const roomSchema = z.strictObject({
  id: roomIdSchema,
  kind: roomKindSchema,
  name: z.string(),
  memberCount: z.number().int().nonnegative(),
  /** Seq of the newest message, 0 if none. */
  lastSeq: seqSchema,
  /** v2: the rev of the room's latest change to its messages, 0 if none. */
  lastRev: seqSchema,
  /** v2: 0 to 250 code points, '' by default. */
  topic: z.string(),
});
export type Room = z.infer<typeof roomSchema>;

/** Addition to CONTRACT.md: the newest message of a room, as the room list previews it. */
export const roomLastMessageSchema = z.strictObject({
  /** The stored text, whole: clients truncate for display. */
  text: z.string(),
  author: userSchema,
  createdAt: isoTimeSchema,
  /** Issue 17: how many files it carries (a message with files may have empty text; a deleted one has none). */
  files: z.number().int().nonnegative(),
});
export type RoomLastMessage = z.infer<typeof roomLastMessageSchema>;

export const roomSummarySchema = roomSchema.extend({
  joined: z.boolean(),
  /** lastSeq minus my read marker; joined rooms only (0 otherwise). */
  unread: z.number().int().nonnegative(),
  /**
   * Addition to CONTRACT.md: the newest message, null if none or if I may not read the room
   * (public rooms: anyone; private rooms and DMs: members only, so an invitee sees null).
   */
  lastMessage: roomLastMessageSchema.nullable(),
  /** Addition to CONTRACT.md: who invited me, for a private room I am invited to and not yet in; else null. */
  invitedBy: userSchema.nullable(),
  /** v2 (issue 15 counts them): unread messages that mention me. */
  mentions: z.number().int().nonnegative(),
  /** v2 (issue 15 counts them): threads I follow with replies I have not read. */
  threadsUnread: z.number().int().nonnegative(),
  /** v2: my role; null when not joined; every DM member is a `member`. */
  role: roomRoleSchema.nullable(),
  /** Addition to CONTRACT.md v2 (issue 15): I muted the room (no notifications; mentions still count); false when not joined. */
  muted: z.boolean(),
});
export type RoomSummary = z.infer<typeof roomSummarySchema>;

/**
 * A room name as typed, stored in one form (see normalizeRoomName): no direction controls, invisible
 * characters removed, NFKC, whitespace collapsed and trimmed; then a visible character and 1 to 64
 * code points. So `general\u200b` cannot pass for `general`, and `\u202Eevil` cannot read backwards.
 */
export const roomNameSchema = storableText('name')
  .refine((s) => !hasDirectionControl(s), 'name must not contain direction controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C)')
  .transform(normalizeRoomName)
  .refine(hasVisibleCharacter, { message: 'name must contain a visible character', abort: true })
  .refine(codePointsBetween('name', 1, LIMITS.roomNameMax), `name must be 1 to ${LIMITS.roomNameMax} characters after trimming`);

export const roomCreatePayloadSchema = z.strictObject({
  name: roomNameSchema,
  visibility: z.enum(['public', 'private']),
});
export const roomRefPayloadSchema = z.strictObject({ roomId: roomIdSchema });
export const roomInvitePayloadSchema = z.strictObject({ roomId: roomIdSchema, userId: idSchema });
/** Addition to CONTRACT.md v1: the owner of a private room removes a member (or withdraws an invitation). */
/**
 * v2 (v1 addition widened): owners and admins remove a member of a public or private room, never the
 * owner; `ban` keeps them from joining again (and may ban someone who is not a member).
 */
export const roomRemoveMemberPayloadSchema = z.strictObject({ roomId: roomIdSchema, userId: idSchema, ban: z.boolean().optional() });
/** v2: owners and admins lift a ban. */
export const roomUnbanPayloadSchema = z.strictObject({ roomId: roomIdSchema, userId: idSchema });
/** v2: the owner makes or unmakes an admin. */
export const roomSetRolePayloadSchema = z.strictObject({ roomId: roomIdSchema, userId: idSchema, role: z.enum(['admin', 'member']) });

/** A room topic as typed: one line (whitespace collapsed, trimmed), no direction controls, 0 to 250 code points. */
export const roomTopicSchema = storableText('topic')
  .refine(
    (s) => !hasDirectionControl(s),
    'topic must not contain direction controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C)',
  )
  .transform((s) => s.replace(/\s+/gu, ' ').trim())
  .refine(codePointsBetween('topic', 0, LIMITS.topicMax), `topic must be at most ${LIMITS.topicMax} characters`);

/** v2: owners and admins rename a public or private room or set its topic (at least one of the two). */
export const roomUpdatePayloadSchema = z
  .strictObject({ roomId: roomIdSchema, name: roomNameSchema.optional(), topic: roomTopicSchema.optional() })
  .refine((p) => p.name !== undefined || p.topic !== undefined, 'give a name or a topic');

/** v2: a page of members by username (`after`: the last username of the previous page). */
export const roomMembersPayloadSchema = z.strictObject({
  roomId: roomIdSchema,
  after: z.string().max(LIMITS.usernameMax).optional(),
  limit: z.number().int().min(1).max(LIMITS.membersLimitMax).default(LIMITS.membersLimitDefault),
});
export const roomMemberSchema = z.strictObject({ user: userSchema, role: roomRoleSchema, online: z.boolean() });
export type RoomMember = z.infer<typeof roomMemberSchema>;
export const roomMembersResultSchema = z.strictObject({ members: z.array(roomMemberSchema) });

/** v1 `{ userId }` (a DM of two) or v2 `{ userIds }`: 1 to 8 others (a group DM of up to 9). */
export const dmOpenPayloadSchema = z.union([
  z.strictObject({ userId: idSchema }),
  z.strictObject({
    userIds: z
      .array(idSchema)
      .min(1)
      .max(LIMITS.dmMembersMax - 1),
  }),
]);
export const roomReadPayloadSchema = z.strictObject({ roomId: roomIdSchema, seq: seqSchema });
export const typingSetPayloadSchema = z.strictObject({ roomId: roomIdSchema, typing: z.boolean() });
/** Addition to CONTRACT.md v2 (issue 15): mute or unmute a room I am a member of. */
export const roomMutePayloadSchema = z.strictObject({ roomId: roomIdSchema, muted: z.boolean() });

export const roomResultSchema = z.strictObject({ room: roomSchema });
export const emptyResultSchema = z.strictObject({});
export const roomListResultSchema = z.strictObject({ rooms: z.array(roomSummarySchema) });

/** v2: a room's name, topic or a role in it changed (to the room). */
export const roomUpdatedSchema = z.strictObject({ room: roomSchema });
/** v2: a member's role changed (to the room). */
export const memberRoleSchema = z.strictObject({ roomId: roomIdSchema, userId: idSchema, role: roomRoleSchema });

export const memberJoinedSchema = z.strictObject({ roomId: roomIdSchema, user: userSchema });
export const memberLeftSchema = z.strictObject({ roomId: roomIdSchema, userId: idSchema });
export const roomInvitedSchema = z.strictObject({ room: roomSchema, by: userSchema });
/** Addition to CONTRACT.md v1: a public room was created (to everyone but its creator). */
export const roomCreatedSchema = z.strictObject({ room: roomSchema });
export const roomJoinedSchema = z.strictObject({ room: roomSummarySchema });
export const roomLeftSchema = z.strictObject({ roomId: roomIdSchema });
/** Addition to CONTRACT.md v2 (issue 15): my mute of a room changed (to my own sockets, so other devices follow). */
export const roomMutedSchema = z.strictObject({ roomId: roomIdSchema, muted: z.boolean() });
export const typingChangedSchema = z.strictObject({
  roomId: roomIdSchema,
  userId: idSchema,
  typing: z.boolean(),
  /** Addition to CONTRACT.md v1: the typist's username, so clients can say who is typing. */
  username: z.string(),
  /** Addition to CONTRACT.md v2 (issue 16): the typist's display name ('' when none), shown instead of the username. */
  displayName: z.string(),
});
