import type { User } from '@parley/protocol';
import { announceDeparture } from './announce.js';
import { sessionChannel, userChannel } from './channels.js';
import type { RealtimeDeps } from './deps.js';
import type { ParleyServer } from './types.js';

/** Puts a user's new profile on this node's sockets of theirs, so what they send next carries it. */
function updateLocalSockets(io: ParleyServer, user: User): void {
  const namespace = io.of('/');
  for (const socketId of namespace.adapter.rooms.get(userChannel(user.id)) ?? []) {
    const socket = namespace.sockets.get(socketId);
    if (socket) socket.data.user = user;
  }
}

/**
 * The live side of the account routes (http/me.router.ts): profile changes, ended sessions and
 * deleted accounts reach every node. With several nodes (`crossNode`), a profile change is told
 * to the other nodes before it is broadcast: both go through the adapter in order, so a socket
 * that heard `user:updated` already sends with the new profile.
 */
export function accountAnnouncer(deps: RealtimeDeps, { crossNode }: { crossNode: boolean }) {
  const { io, rooms } = deps;
  if (crossNode) io.on('user:updated', (user) => updateLocalSockets(io, user));
  return {
    async profileChanged(user: User): Promise<void> {
      updateLocalSockets(io, user);
      if (crossNode) io.serverSideEmit('user:updated', user);
      const roomIds = await rooms.memberRoomIds(user.id);
      io.to([...roomIds, userChannel(user.id)]).emit('user:updated', { user });
    },
    sessionsEnded(sessionIds: readonly string[]): void {
      for (const sessionId of sessionIds) io.in(sessionChannel(sessionId)).disconnectSockets(true);
    },
    userSocketsEnded(userId: string): void {
      io.in(userChannel(userId)).disconnectSockets(true);
    },
    departed(roomId: string, user: User): void {
      announceDeparture(deps, roomId, user);
    },
  };
}
