import type { HandlerTable } from './handler.js';

export const messageHandlers: HandlerTable = {
  'message:send': async ({ me, deps }, { roomId, clientMsgId, text }) => {
    // Resolves after the commit; a repeated clientMsgId returns the original and broadcasts nothing.
    const { message, created } = await deps.messages.send(me, roomId, clientMsgId, text);
    if (created) {
      deps.io.to(roomId).emit('message:created', message);
      deps.metrics.messagesStored.inc();
      deps.metrics.messagesBroadcast.inc();
    }
    return { message };
  },

  'message:history': async ({ me, deps }, { roomId, ...query }) => {
    return { messages: await deps.messages.history(me.id, roomId, query) };
  },
};
