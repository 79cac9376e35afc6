import type { Request, RequestHandler, Response } from 'express';
import type { AuthService, Authenticated } from '../domain/auth.service.js';
import { AppError } from '../domain/errors.js';
import type { OriginPolicy } from '../edge/origin-policy.js';
import { readSessionCookie } from '../edge/session-cookie.js';

/** The bearer token of a request, or its session cookie when the request's Origin is allowed. */
export function requestToken(req: Request, originAllowed: OriginPolicy): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  if (!originAllowed(req.headers.origin, req.headers.host)) return undefined;
  return readSessionCookie(req);
}

/** Requires a valid session; puts it in res.locals.auth. */
export function requireAuth(auth: AuthService, originAllowed: OriginPolicy): RequestHandler {
  return async (req, res, next) => {
    const token = requestToken(req, originAllowed);
    const session = token ? await auth.authenticate(token) : null;
    if (!session) throw new AppError('UNAUTHORIZED', 'sign in first');
    res.locals.auth = session;
    next();
  };
}

export function authOf(res: Response): Authenticated {
  return res.locals.auth as Authenticated;
}
