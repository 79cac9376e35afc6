import { Router } from 'express';
import { credentialsSchema, loginSchema } from '@parley/protocol';
import type { AuthService, IssuedSession } from '../domain/auth.service.js';
import type { OriginPolicy } from '../origin-policy.js';
import { parseInput } from '../validation.js';
import { authOf, requireAuth } from './authenticate.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';

export interface AuthRouterDeps {
  auth: AuthService;
  originAllowed: OriginPolicy;
  /** Disconnects every socket opened with this session. */
  endSessionSockets: (sessionId: string) => void;
}

export function authRouter({ auth, originAllowed, endSessionSockets }: AuthRouterDeps): Router {
  const router = Router();
  const reply = (session: IssuedSession) => ({ user: session.user, token: session.token });

  router.post('/auth/register', async (req, res) => {
    const { username, password } = parseInput(credentialsSchema, req.body);
    const session = await auth.register(username, password);
    setSessionCookie(req, res, session.token, session.expiresAt);
    res.status(201).json(reply(session));
  });

  router.post('/auth/login', async (req, res) => {
    const { username, password } = parseInput(loginSchema, req.body);
    const session = await auth.login(username, password);
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
