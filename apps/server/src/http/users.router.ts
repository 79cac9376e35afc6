import { Router } from 'express';
import { userSearchQuerySchema } from '@parley/protocol';
import type { UserService } from '../domain/user.service.js';
import { parseInput } from '../edge/validation.js';
import type { RateLimits } from '../infra/rate-limits.js';
import { authOf } from './authenticate.js';
import { rateLimited } from './rate-limit.js';

export function usersRouter(users: UserService, rateLimits: RateLimits): Router {
  const router = Router();

  router.get('/users', rateLimited(rateLimits, 'user:search'), async (req, res) => {
    const { q, roomId } = parseInput(userSearchQuerySchema, req.query);
    res.json({ users: await users.search(authOf(res).user.id, q, roomId) });
  });

  return router;
}
