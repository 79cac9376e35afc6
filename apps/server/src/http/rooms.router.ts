import { Router } from 'express';
import { historyQuerySchema, idSchema } from '@parley/protocol';
import type { MessageService } from '../domain/message.service.js';
import type { RoomService } from '../domain/room.service.js';
import { parseInput } from '../validation.js';
import { authOf } from './authenticate.js';

export function roomsRouter(rooms: RoomService, messages: MessageService): Router {
  const router = Router();

  router.get('/rooms', async (_req, res) => {
    res.json({ rooms: await rooms.list(authOf(res).user.id) });
  });

  router.get('/rooms/:id/messages', async (req, res) => {
    const roomId = parseInput(idSchema, req.params.id);
    const query = parseInput(historyQuerySchema, req.query);
    res.json({ messages: await messages.history(authOf(res).user.id, roomId, query) });
  });

  return router;
}
