import type { User } from '@parley/protocol';
import { userChannel } from './channels.js';
import type { RealtimeDeps } from './deps.js';
import type { HandlerTable } from './handler.js';

export const roomHandlers: HandlerTable = {
  'room:create': async ({ me, deps }, { name, visibility }) => {
    const { io, rooms } = deps;
    const room = await rooms.create(me, name, visibility);
    await announceMembership(deps, room.id, me, { announceToRoom: false });
    // Public rooms show up in everyone's list at once; private ones stay unseen.
    if (room.kind === 'public') io.except(userChannel(me.id)).emit('room:created', { room });
    return { room };
  },

  'room:join': async ({ socket, me, deps }, { roomId }) => {
    const { room, joined } = await deps.rooms.join(me, roomId);
    if (joined) await announceMembership(deps, roomId, me, { announceToRoom: true });
    else socket.join(roomId);
    return { room };
  },

  'room:leave': async ({ me, deps }, { roomId }) => {
    const { left } = await deps.rooms.leave(me, roomId);
    if (left) announceDeparture(deps, roomId, me);
    return {};
  },

  'room:remove-member': async ({ me, deps }, { roomId, userId }) => {
    const { removed } = await deps.rooms.removeMember(me, roomId, userId);
    if (removed) announceDeparture(deps, roomId, removed);
    return {};
  },

  'room:invite': async ({ me, deps }, { roomId, userId }) => {
    const { room, invited } = await deps.rooms.invite(me, roomId, userId);
    if (invited) deps.io.to(userChannel(userId)).emit('room:invited', { room, by: me });
    return {};
  },

  // v1 names one other person, v2 up to eight (a group DM).
  'dm:open': async ({ me, deps }, payload) => {
    const { room, added } = await deps.dms.open(me, 'userId' in payload ? [payload.userId] : payload.userIds);
    for (const user of added) await announceMembership(deps, room.id, user, { announceToRoom: true });
    return { room };
  },

  'room:read': async ({ me, deps }, { roomId, seq }) => {
    await deps.rooms.markRead(me.id, roomId, seq);
    return {};
  },

  // Mute follows the user across devices: their other sockets hear it (only when it changed).
  'room:mute': async ({ me, deps }, { roomId, muted }) => {
    const { changed } = await deps.rooms.setMuted(me.id, roomId, muted);
    if (changed) deps.io.to(userChannel(me.id)).emit('room:muted', { roomId, muted });
    return {};
  },
};

/**
 * A user became a member: every socket of theirs (on any node) joins the Socket.IO room and
 * hears `room:joined`; the room hears `room:member-joined`.
 */
async function announceMembership(
  { io, rooms }: RealtimeDeps,
  roomId: string,
  user: User,
  { announceToRoom }: { announceToRoom: boolean },
): Promise<void> {
  const summary = await rooms.summary(roomId, user.id);
  io.in(userChannel(user.id)).socketsJoin(roomId);
  if (announceToRoom) io.to(roomId).emit('room:member-joined', { roomId, user });
  io.to(userChannel(user.id)).emit('room:joined', { room: summary });
}

/**
 * A user is no longer a member: every socket of theirs (on any node) leaves the Socket.IO room at
 * once and hears `room:left`; the room hears `room:member-left`, and that they stopped typing.
 */
function announceDeparture({ io }: RealtimeDeps, roomId: string, user: User): void {
  io.in(userChannel(user.id)).socketsLeave(roomId);
  io.to(roomId).emit('room:member-left', { roomId, userId: user.id });
  io.to(roomId).emit('typing:changed', { roomId, userId: user.id, username: user.username, typing: false });
  io.to(userChannel(user.id)).emit('room:left', { roomId });
}
