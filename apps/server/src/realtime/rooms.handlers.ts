import type { User } from '@parley/protocol';
import { userChannel } from './channels.js';
import type { RealtimeDeps } from './deps.js';
import { onEvent } from './handler.js';
import type { ParleySocket } from './types.js';

export function registerRoomHandlers(socket: ParleySocket, deps: RealtimeDeps): void {
  const { io, rooms, logger } = deps;
  const me = socket.data.user;

  onEvent(socket, logger, 'room:create', async ({ name, visibility }) => {
    const room = await rooms.create(me, name, visibility);
    await announceMembership(deps, room.id, me, { announceToRoom: false });
    // Public rooms show up in everyone's list at once; private ones stay unseen.
    if (room.kind === 'public') io.except(userChannel(me.id)).emit('room:created', { room });
    return { room };
  });

  onEvent(socket, logger, 'room:join', async ({ roomId }) => {
    const { room, joined } = await rooms.join(me, roomId);
    if (joined) await announceMembership(deps, roomId, me, { announceToRoom: true });
    else socket.join(roomId);
    return { room };
  });

  onEvent(socket, logger, 'room:leave', async ({ roomId }) => {
    const { left } = await rooms.leave(me, roomId);
    if (left) {
      io.in(userChannel(me.id)).socketsLeave(roomId);
      io.to(roomId).emit('room:member-left', { roomId, userId: me.id });
      // A leaver cannot send "stopped typing" any more: say it for them.
      io.to(roomId).emit('typing:changed', { roomId, userId: me.id, username: me.username, typing: false });
      io.to(userChannel(me.id)).emit('room:left', { roomId });
    }
    return {};
  });

  onEvent(socket, logger, 'room:invite', async ({ roomId, userId }) => {
    const { room, invited } = await rooms.invite(me, roomId, userId);
    if (invited) io.to(userChannel(userId)).emit('room:invited', { room, by: me });
    return {};
  });

  onEvent(socket, logger, 'dm:open', async ({ userId }) => {
    const { room, other, addedUserIds } = await rooms.openDm(me, userId);
    for (const user of [me, other]) {
      if (addedUserIds.includes(user.id)) await announceMembership(deps, room.id, user, { announceToRoom: true });
    }
    return { room };
  });

  onEvent(socket, logger, 'room:read', async ({ roomId, seq }) => {
    await rooms.markRead(me.id, roomId, seq);
    return {};
  });
}

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
