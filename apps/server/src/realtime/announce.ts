import type { RoomRole, User } from '@parley/protocol';
import { userChannel } from './channels.js';
import type { RealtimeDeps } from './deps.js';
import { typingChanged } from './presence.handlers.js';

/**
 * A user became a member: every socket of theirs (on any node) joins the Socket.IO room and
 * hears `room:joined`; the room hears `room:member-joined`.
 */
export async function announceMembership(
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
export function announceDeparture({ io }: RealtimeDeps, roomId: string, user: User): void {
  io.in(userChannel(user.id)).socketsLeave(roomId);
  io.to(roomId).emit('room:member-left', { roomId, userId: user.id });
  io.to(roomId).emit('typing:changed', typingChanged(roomId, user, false));
  io.to(userChannel(user.id)).emit('room:left', { roomId });
}

/**
 * A member's role changed (made or unmade admin, or owner because the owner left): the room hears
 * `room:member-role` and `room:updated` with the room as it is now.
 */
export async function announceRole({ io, rooms }: RealtimeDeps, roomId: string, userId: string, role: RoomRole): Promise<void> {
  const room = await rooms.presentById(roomId, userId);
  io.to(roomId).emit('room:member-role', { roomId, userId, role });
  io.to(roomId).emit('room:updated', { room });
}
