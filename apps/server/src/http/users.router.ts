import { Router } from 'express';
import { LIMITS, userSearchQuerySchema } from '@parley/protocol';
import type { RateLimits } from '../rate-limits.js';
import type { Storage } from '../storage/storage.js';
import { parseInput } from '../validation.js';
import { rateLimited } from './rate-limit.js';

export function usersRouter(storage: Storage, rateLimits: RateLimits): Router {
  const router = Router();

  router.get('/users', rateLimited(rateLimits, 'user:search'), async (req, res) => {
    const { q } = parseInput(userSearchQuerySchema, req.query);
    res.json({ users: await storage.users.searchByPrefix(q, LIMITS.userSearchMax) });
  });

  return router;
}
