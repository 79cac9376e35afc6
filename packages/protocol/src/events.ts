import type { z } from 'zod';
import type { Ack } from './ack.js';
import {
  messageSchema,
  messageSendPayloadSchema,
  messageEditPayloadSchema,
  messageDeletePayloadSchema,
  messageVersionsPayloadSchema,
  messageVersionsResultSchema,
  reactionSetPayloadSchema,
  messageChangesPayloadSchema,
  messageChangesResultSchema,
  threadReadPayloadSchema,
  serverInfoSchema,
  historyPayloadSchema,
  historyResultSchema,
  messageResultSchema,
} from './schemas/message.js';
import {
  dmOpenPayloadSchema,
  emptyResultSchema,
  memberJoinedSchema,
  memberLeftSchema,
  roomCreatePayloadSchema,
  roomCreatedSchema,
  roomInvitedSchema,
  roomInvitePayloadSchema,
  roomRemoveMemberPayloadSchema,
  roomUnbanPayloadSchema,
  roomSetRolePayloadSchema,
  roomUpdatePayloadSchema,
  roomUpdatedSchema,
  roomMembersPayloadSchema,
  roomMembersResultSchema,
  memberRoleSchema,
  roomJoinedSchema,
  roomLeftSchema,
  roomMutedSchema,
  roomMutePayloadSchema,
  roomReadPayloadSchema,
  roomRefPayloadSchema,
  roomResultSchema,
  typingChangedSchema,
  typingSetPayloadSchema,
} from './schemas/room.js';
import { presenceChangedSchema, presenceQuerySchema, presenceResultSchema, userUpdatedSchema, type User } from './schemas/user.js';

/**
 * Every client-to-server event: the schema its payload must pass and the schema of the
 * data its ack carries. The Socket.IO generics below are derived from this table.
 */
export const clientEvents = {
  'room:create': { payload: roomCreatePayloadSchema, result: roomResultSchema },
  'room:join': { payload: roomRefPayloadSchema, result: roomResultSchema },
  'room:leave': { payload: roomRefPayloadSchema, result: emptyResultSchema },
  'room:invite': { payload: roomInvitePayloadSchema, result: emptyResultSchema },
  /** v2 (a v1 addition widened): owners and admins remove someone from a public or private room, `ban` to keep them out. */
  'room:remove-member': { payload: roomRemoveMemberPayloadSchema, result: emptyResultSchema },
  /** v2: owners and admins lift a ban. */
  'room:unban': { payload: roomUnbanPayloadSchema, result: emptyResultSchema },
  /** v2: owners and admins rename a room or set its topic. */
  'room:update': { payload: roomUpdatePayloadSchema, result: roomResultSchema },
  /** v2: a page of members by username, with role and presence. */
  'room:members': { payload: roomMembersPayloadSchema, result: roomMembersResultSchema },
  /** v2: the owner makes or unmakes an admin. */
  'room:set-role': { payload: roomSetRolePayloadSchema, result: emptyResultSchema },
  'dm:open': { payload: dmOpenPayloadSchema, result: roomResultSchema },
  'message:send': { payload: messageSendPayloadSchema, result: messageResultSchema },
  'message:history': { payload: historyPayloadSchema, result: historyResultSchema },
  'message:edit': { payload: messageEditPayloadSchema, result: messageResultSchema },
  'message:delete': { payload: messageDeletePayloadSchema, result: messageResultSchema },
  'message:versions': { payload: messageVersionsPayloadSchema, result: messageVersionsResultSchema },
  'reaction:set': { payload: reactionSetPayloadSchema, result: messageResultSchema },
  'message:changes': { payload: messageChangesPayloadSchema, result: messageChangesResultSchema },
  'thread:read': { payload: threadReadPayloadSchema, result: emptyResultSchema },
  'room:read': { payload: roomReadPayloadSchema, result: emptyResultSchema },
  /** Addition to CONTRACT.md v2 (issue 15): mute or unmute a room; members only. */
  'room:mute': { payload: roomMutePayloadSchema, result: emptyResultSchema },
  'typing:set': { payload: typingSetPayloadSchema, result: emptyResultSchema },
  /** Addition to CONTRACT.md v1: which of these users are online now. */
  'presence:get': { payload: presenceQuerySchema, result: presenceResultSchema },
} as const satisfies Record<string, { payload: z.ZodType; result: z.ZodType }>;

export type ClientEventName = keyof typeof clientEvents;
export type ClientPayload<E extends ClientEventName> = z.input<(typeof clientEvents)[E]['payload']>;
export type ParsedClientPayload<E extends ClientEventName> = z.output<(typeof clientEvents)[E]['payload']>;
export type ClientResult<E extends ClientEventName> = z.output<(typeof clientEvents)[E]['result']>;

/** Every server-to-client event and the schema of its payload. */
export const serverEvents = {
  'message:created': messageSchema,
  /** v2: a message's current state after an edit, a delete, a reaction change or a change to its thread. */
  'message:updated': messageSchema,
  /** Addition to CONTRACT.md v2: sent to each socket on connect, so a tab can tell a deploy happened. */
  'server:info': serverInfoSchema,
  'room:member-joined': memberJoinedSchema,
  'room:member-left': memberLeftSchema,
  'room:invited': roomInvitedSchema,
  'room:joined': roomJoinedSchema,
  /** Addition to CONTRACT.md v1. */
  'room:created': roomCreatedSchema,
  'room:left': roomLeftSchema,
  /** Addition to CONTRACT.md v2 (issue 15): to the user's own sockets when their mute of a room changed. */
  'room:muted': roomMutedSchema,
  /** v2: a room's name, topic or a role in it changed. */
  'room:updated': roomUpdatedSchema,
  /** v2: a member's role changed. */
  'room:member-role': memberRoleSchema,
  /** Addition to CONTRACT.md v2: a user's display name changed (to the rooms they are in and their own sockets). */
  'user:updated': userUpdatedSchema,
  'presence:changed': presenceChangedSchema,
  'typing:changed': typingChangedSchema,
} as const satisfies Record<string, z.ZodType>;

export type ServerEventName = keyof typeof serverEvents;
export type ServerPayload<E extends ServerEventName> = z.output<(typeof serverEvents)[E]>;

export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientPayload<E>, ack: (response: Ack<ClientResult<E>>) => void) => void;
};

export type ServerToClientEvents = {
  [E in ServerEventName]: (payload: ServerPayload<E>) => void;
};

/** Between Parley nodes (through the adapter): a membership ended, so every node drops it from its cache. */
export interface InterServerEvents {
  'membership:removed': (roomId: string, userId: string) => void;
  /** A user's profile changed: every node updates `socket.data.user` on that user's sockets. */
  'user:updated': (user: User) => void;
}

/** What the server keeps on each socket after the handshake. */
export interface SocketData {
  user: User;
  sessionId: string;
  /** The protocol version the client said it speaks in the handshake (1 when it said none). */
  protocol: number;
}
