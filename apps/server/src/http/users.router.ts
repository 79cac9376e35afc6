import { Router } from 'express';
import { LIMITS, userSearchQuerySchema } from '@parley/protocol';
import type { Storage } from '../storage/storage.js';
import { parseInput } from '../validation.js';

export function usersRouter(storage: Storage): Router {
  const router = Router();

  router.get('/users', async (req, res) => {
    const { q } = parseInput(userSearchQuerySchema, req.query);
    res.json({ users: await storage.users.searchByPrefix(q, LIMITS.userSearchMax) });
  });

  return router;
}
