import { userChannel } from './channels.js';
import type { RealtimeDeps } from './deps.js';
import { onEvent } from './handler.js';
import type { ParleySocket } from './types.js';

/** Typing and presence. Typing is not stored; a socket that goes away stops typing. */
export function registerPresenceHandlers(socket: ParleySocket, deps: RealtimeDeps): void {
  const { io, rooms, presence, logger } = deps;
  const me = socket.data.user;
  const typingIn = new Set<string>();

  const setTyping = (roomId: string, typing: boolean) => {
    if (typing) typingIn.add(roomId);
    else typingIn.delete(roomId);
    io.to(roomId).except(userChannel(me.id)).emit('typing:changed', { roomId, userId: me.id, username: me.username, typing });
  };

  onEvent(socket, logger, 'typing:set', async ({ roomId, typing }) => {
    await rooms.assertMember(me.id, roomId);
    setTyping(roomId, typing);
    return {};
  });

  // Presence is shared with people who share a room, as presence:changed is.
  onEvent(socket, logger, 'presence:get', async ({ userIds }) => {
    const visible = new Set(await rooms.sharedWith(me.id, userIds));
    visible.add(me.id);
    return { online: await presence.online(userIds.filter((id) => visible.has(id))) };
  });

  // A socket that goes away stops typing, in the rooms it is still in (a leave already said so).
  socket.on('disconnecting', () => {
    for (const roomId of typingIn) if (socket.rooms.has(roomId)) setTyping(roomId, false);
  });
}
