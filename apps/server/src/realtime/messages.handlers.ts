import type { Message } from '@parley/protocol';
import type { Changed } from '../domain/message.service.js';
import type { RealtimeDeps } from './deps.js';
import type { HandlerTable } from './handler.js';

/** Broadcasts what a mutation changed (in rev order) to the room, and answers with the message's current state. */
function announce(deps: RealtimeDeps, roomId: string, { message, changed }: Changed): { message: Message } {
  for (const updated of changed ?? []) deps.io.to(roomId).emit('message:updated', updated);
  return { message };
}

export const messageHandlers: HandlerTable = {
  'message:send': async ({ me, deps }, { roomId, clientMsgId, text, threadRootId, fileIds }) => {
    // Resolves after the commit; a repeated clientMsgId returns the original and broadcasts nothing.
    const result = await deps.messages.send(me, roomId, clientMsgId, text, threadRootId, fileIds);
    if (result.created) {
      deps.io.to(roomId).emit('message:created', result.message);
      if (result.root) deps.io.to(roomId).emit('message:updated', result.root);
      deps.metrics.messagesStored.inc();
      deps.metrics.messagesBroadcast.inc();
    }
    return { message: result.message };
  },

  'message:history': async ({ me, deps }, { roomId, ...query }) => {
    return { messages: await deps.messages.history(me.id, roomId, query) };
  },

  'message:edit': async ({ me, deps }, { roomId, messageId, text }) =>
    announce(deps, roomId, await deps.messages.edit(me, roomId, messageId, text)),

  'message:delete': async ({ me, deps }, { roomId, messageId }) =>
    announce(deps, roomId, await deps.messages.delete(me, roomId, messageId)),

  'reaction:set': async ({ me, deps }, { roomId, messageId, emoji, on }) =>
    announce(deps, roomId, await deps.messages.react(me, roomId, messageId, emoji, on)),

  'message:versions': async ({ me, deps }, { roomId, messageId }) => ({
    versions: await deps.messages.versions(me.id, roomId, messageId),
  }),

  'message:changes': async ({ me, deps }, { roomId, afterRev, limit }) => deps.messages.changes(me.id, roomId, afterRev, limit),

  'thread:read': async ({ me, deps }, { roomId, threadRootId, seq }) => {
    await deps.messages.markThreadRead(me.id, roomId, threadRootId, seq);
    return {};
  },
};
