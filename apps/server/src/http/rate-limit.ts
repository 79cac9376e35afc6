import type { RequestHandler } from 'express';
import type { Operation, RateLimits } from '../infra/rate-limits.js';
import { authOf } from './authenticate.js';

/**
 * Counts a request against the signed-in user's budget for `operation` (after requireAuth, before
 * validation, as the socket dispatcher does): the same budget as the socket event of that name.
 */
export function rateLimited(rateLimits: RateLimits, operation: Operation): RequestHandler {
  return async (_req, res, next) => {
    await rateLimits.event(operation, authOf(res).user.id);
    next();
  };
}
