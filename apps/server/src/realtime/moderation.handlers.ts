import { announceDeparture, announceRole } from './announce.js';
import type { HandlerTable } from './handler.js';

/** Roles and moderation (CONTRACT.md v2); the rules are domain/moderation.service.ts's. */
export const moderationHandlers: HandlerTable = {
  // The room hears it; a public room's new name or topic also reaches everyone's list, as room:created does.
  'room:update': async ({ me, deps }, { roomId, name, topic }) => {
    const room = await deps.moderation.update(me, roomId, { name, topic });
    if (room.kind === 'public') deps.io.emit('room:updated', { room });
    else deps.io.to(roomId).emit('room:updated', { room });
    return { room };
  },

  'room:set-role': async ({ me, deps }, { roomId, userId, role }) => {
    const { room } = await deps.moderation.setRole(me, roomId, userId, role);
    if (room) await announceRole(deps, roomId, userId, role);
    return {};
  },

  // Every socket of theirs, on every node, leaves the room at once and hears room:left.
  'room:remove-member': async ({ me, deps }, { roomId, userId, ban }) => {
    const { removed } = await deps.moderation.remove(me, roomId, userId, ban === true);
    if (removed) announceDeparture(deps, roomId, removed);
    return {};
  },

  'room:unban': async ({ me, deps }, { roomId, userId }) => {
    await deps.moderation.unban(me, roomId, userId);
    return {};
  },

  // Presence for the page's users in one call, as presence:get answers it.
  'room:members': async ({ me, deps }, { roomId, after, limit }) => {
    const members = await deps.moderation.members(me.id, roomId, { after, limit });
    const online = new Set(await deps.presence.online(members.map((m) => m.user.id)));
    return { members: members.map(({ user, role }) => ({ user, role, online: online.has(user.id) })) };
  },
};
