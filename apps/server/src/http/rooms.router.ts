import { Router } from 'express';
import { historyQuerySchema, roomIdSchema } from '@parley/protocol';
import type { MessageService } from '../domain/message.service.js';
import type { RoomService } from '../domain/room.service.js';
import type { RateLimits } from '../infra/rate-limits.js';
import { parseInput } from '../edge/validation.js';
import { authOf } from './authenticate.js';
import { rateLimited } from './rate-limit.js';

export function roomsRouter(rooms: RoomService, messages: MessageService, rateLimits: RateLimits): Router {
  const router = Router();

  router.get('/rooms', rateLimited(rateLimits, 'room:list'), async (_req, res) => {
    res.json({ rooms: await rooms.list(authOf(res).user.id) });
  });

  // The same budget as the socket's message:history: the transport does not buy more reads.
  router.get('/rooms/:id/messages', rateLimited(rateLimits, 'message:history'), async (req, res) => {
    const roomId = parseInput(roomIdSchema, req.params.id);
    const query = parseInput(historyQuerySchema, req.query);
    res.json({ messages: await messages.history(authOf(res).user.id, roomId, query) });
  });

  return router;
}
