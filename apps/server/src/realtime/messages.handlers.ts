import type { RealtimeDeps } from './deps.js';
import { onEvent } from './handler.js';
import type { ParleySocket } from './types.js';

export function registerMessageHandlers(socket: ParleySocket, deps: RealtimeDeps): void {
  const { io, messages, logger } = deps;
  const me = socket.data.user;

  onEvent(socket, logger, 'message:send', async ({ roomId, clientMsgId, text }) => {
    // Resolves after the commit; a repeated clientMsgId returns the original and broadcasts nothing.
    const { message, created } = await messages.send(me, roomId, clientMsgId, text);
    if (created) io.to(roomId).emit('message:created', message);
    return { message };
  });

  onEvent(socket, logger, 'message:history', async ({ roomId, ...query }) => {
    return { messages: await messages.history(me.id, roomId, query) };
  });
}
