import { Router, type Request } from 'express';
import { credentialsSchema, loginSchema } from '@parley/protocol';
import type { AuthService, IssuedSession } from '../domain/auth.service.js';
import type { OriginPolicy } from '../origin-policy.js';
import { AppError } from '../domain/errors.js';
import type { RateLimits } from '../rate-limits.js';
import { parseInput } from '../validation.js';
import { authOf, requireAuth } from './authenticate.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';

export interface AuthRouterDeps {
  auth: AuthService;
  rateLimits: RateLimits;
  originAllowed: OriginPolicy;
  /** Disconnects every socket opened with this session. */
  endSessionSockets: (sessionId: string) => void;
}

export function authRouter({ auth, rateLimits, originAllowed, endSessionSockets }: AuthRouterDeps): Router {
  const router = Router();
  const reply = (session: IssuedSession) => ({ user: session.user, token: session.token });

  router.post('/auth/register', async (req, res) => {
    await rateLimits.authAttempt(clientAddress(req));
    const { username, password } = parseInput(credentialsSchema, req.body);
    const session = await auth.register(username, password);
    setSessionCookie(req, res, session.token, session.expiresAt);
    res.status(201).json(reply(session));
  });

  router.post('/auth/login', async (req, res) => {
    await rateLimits.authAttempt(clientAddress(req));
    const { username, password } = parseInput(loginSchema, req.body);
    // Failures count per username whether or not it exists: the answers cannot tell them apart.
    await rateLimits.assertLoginAllowed(username);
    let session: IssuedSession;
    try {
      session = await auth.login(username, password);
    } catch (error) {
      if (error instanceof AppError && error.code === 'UNAUTHORIZED') await rateLimits.loginFailed(username);
      throw error;
    }
    await rateLimits.loginSucceeded(username);
    setSessionCookie(req, res, session.token, session.expiresAt);
    res.status(200).json(reply(session));
  });

  router.post('/auth/logout', requireAuth(auth, originAllowed), async (req, res) => {
    const { sessionId } = authOf(res);
    await auth.logout(sessionId);
    endSessionSockets(sessionId);
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  router.get('/me', requireAuth(auth, originAllowed), (_req, res) => {
    res.json({ user: authOf(res).user });
  });

  return router;
}

/** The client's address: Express resolves X-Forwarded-For only from trusted (loopback) proxies. */
function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
