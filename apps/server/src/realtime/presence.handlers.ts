import type { User } from '@parley/protocol';
import { userChannel } from './channels.js';
import type { RealtimeDeps } from './deps.js';
import type { HandlerTable } from './handler.js';
import type { ParleySocket } from './types.js';

/** Rooms each socket is typing in; created on first use, so idle sockets carry nothing. */
const typingIn = new WeakMap<ParleySocket, Set<string>>();

/** The `typing:changed` payload for `user` in `roomId`: they are named as the people they type to see them. */
export function typingChanged(roomId: string, user: User, typing: boolean) {
  return { roomId, userId: user.id, username: user.username, displayName: user.displayName, typing };
}

function setTyping({ io }: RealtimeDeps, socket: ParleySocket, me: User, roomId: string, typing: boolean): void {
  let rooms = typingIn.get(socket);
  if (typing) {
    if (!rooms) typingIn.set(socket, (rooms = new Set()));
    rooms.add(roomId);
  } else {
    rooms?.delete(roomId);
  }
  io.to(roomId)
    .except(userChannel(me.id))
    .emit('typing:changed', typingChanged(roomId, me, typing));
}

/** Typing is not stored; presence is shared with people who share a room. */
export const presenceHandlers: HandlerTable = {
  'typing:set': async ({ socket, me, deps }, { roomId, typing }) => {
    await deps.rooms.assertMember(me.id, roomId);
    setTyping(deps, socket, me, roomId, typing);
    return {};
  },

  'presence:get': async ({ me, deps }, { userIds }) => {
    const visible = new Set(await deps.rooms.sharedWith(me.id, userIds));
    visible.add(me.id);
    return { online: await deps.presence.online(userIds.filter((id) => visible.has(id))) };
  },
};

/** A socket that goes away stops typing, in the rooms it is still in (a leave already said so). */
export function stopTyping(deps: RealtimeDeps, socket: ParleySocket): void {
  for (const roomId of typingIn.get(socket) ?? []) {
    if (socket.rooms.has(roomId)) setTyping(deps, socket, socket.data.user, roomId, false);
  }
  typingIn.delete(socket);
}
