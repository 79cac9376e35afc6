import { Router } from 'express';
import { searchQuerySchema } from '@parley/protocol';
import type { SearchService } from '../domain/search.service.js';
import { parseInput } from '../edge/validation.js';
import type { RateLimits } from '../infra/rate-limits.js';
import { authOf } from './authenticate.js';
import { rateLimited } from './rate-limit.js';

/** GET /api/search: message search in the caller's rooms (CONTRACT.md v2). */
export function searchRouter(search: SearchService, rateLimits: RateLimits): Router {
  const router = Router();

  router.get('/search', rateLimited(rateLimits, 'search'), async (req, res) => {
    const query = parseInput(searchQuerySchema, req.query);
    res.json({ results: await search.messages(authOf(res).user.id, query) });
  });

  return router;
}
