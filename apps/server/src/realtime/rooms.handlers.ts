import { announceDeparture, announceMembership, announceRole } from './announce.js';
import { userChannel } from './channels.js';
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
    const { left, newOwnerId } = await deps.rooms.leave(me, roomId);
    if (left) announceDeparture(deps, roomId, me);
    if (newOwnerId) await announceRole(deps, roomId, newOwnerId, 'owner');
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
