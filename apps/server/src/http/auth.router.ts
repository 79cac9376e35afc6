import { Router, type Request } from 'express';
import { credentialsSchema, loginSchema, type SessionResult } from '@parley/protocol';
import { resolveClientAddress, type TrustedProxies } from '../edge/client-address.js';
import type { AuthService, IssuedSession } from '../domain/auth.service.js';
import type { OriginPolicy } from '../edge/origin-policy.js';
import { AppError } from '../domain/errors.js';
import type { RateLimits } from '../infra/rate-limits.js';
import { parseInput } from '../edge/validation.js';
import { authOf, requestToken, requireAuth } from './authenticate.js';
import { rateLimited } from './rate-limit.js';
import { clearSessionCookie, setSessionCookie } from '../edge/session-cookie.js';

export interface AuthRouterDeps {
  auth: AuthService;
  rateLimits: RateLimits;
  originAllowed: OriginPolicy;
  /** Disconnects every socket opened with this session. */
  endSessionSockets: (sessionId: string) => void;
  /** Whose X-Forwarded-For to believe for the per-address limit (TRUSTED_PROXY_HOPS). */
  trustedProxies: TrustedProxies;
}

export function authRouter({ auth, rateLimits, originAllowed, endSessionSockets, trustedProxies }: AuthRouterDeps): Router {
  const router = Router();
  const reply = (session: IssuedSession) => ({ user: session.user, token: session.token });
  // The same rule as the socket handshake's per-address cap.
  const clientAddress = (req: Request) => resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustedProxies);

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

  // No rate limit: ending a session is never refused, and each call uses up the session it needs.
  router.post('/auth/logout', requireAuth(auth, originAllowed), async (req, res) => {
    const { sessionId } = authOf(res);
    await auth.logout(sessionId);
    endSessionSockets(sessionId);
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  router.get('/me', requireAuth(auth, originAllowed), rateLimited(rateLimits, 'me:get'), (_req, res) => {
    res.json({ user: authOf(res).user });
  });

  // Who am I, if anyone: 200 either way, so a signed-out page load is not a failed request. The same
  // credentials as requireAuth (bearer, or the cookie from an allowed Origin); the same budget as /me
  // when signed in. Signed out costs no lookup, like the 401 that /me answers before its limit.
  router.get('/auth/session', async (req, res) => {
    const token = requestToken(req, originAllowed);
    const session = token ? await auth.authenticate(token) : null;
    if (session) await rateLimits.event('me:get', session.user.id);
    res.setHeader('cache-control', 'no-store');
    res.json({ user: session?.user ?? null } satisfies SessionResult);
  });

  return router;
}
