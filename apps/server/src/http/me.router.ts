import { Router, type Request } from 'express';
import {
  DELETED_DISPLAY_NAME,
  DELETED_USERNAME,
  accountDeleteSchema,
  passwordChangeSchema,
  profilePatchSchema,
  type User,
} from '@parley/protocol';
import type { AccountService } from '../domain/account.service.js';
import { AppError } from '../domain/errors.js';
import { resolveClientAddress, type TrustedProxies } from '../edge/client-address.js';
import { clearSessionCookie } from '../edge/session-cookie.js';
import { parseInput } from '../edge/validation.js';
import type { RateLimits } from '../infra/rate-limits.js';
import { authOf } from './authenticate.js';
import { rateLimited } from './rate-limit.js';

/** How the account routes tell the live side of the app (sockets on every node) what changed. */
export interface AccountAnnouncer {
  /** The user's rooms, their own sockets and every node's copy of them hear the new profile. */
  profileChanged(user: User): Promise<void>;
  /** Disconnects every socket opened with these sessions, on every node. */
  sessionsEnded(sessionIds: readonly string[]): void;
  /** Disconnects every socket of the user, on every node. */
  userSocketsEnded(userId: string): void;
  /**
   * A user is no longer a member of the room: its members hear it, and the user's sockets leave it;
   * the member who owns the room now (when the user owned it) is announced as its owner.
   */
  departed(roomId: string, user: User, newOwnerId: string | null): Promise<void>;
}

export interface MeRouterDeps {
  accounts: AccountService;
  rateLimits: RateLimits;
  announce: AccountAnnouncer;
  /** Whose X-Forwarded-For to believe for the per-address limit (TRUSTED_PROXY_HOPS). */
  trustedProxies: TrustedProxies;
}

/** PATCH /api/me, POST /api/me/password, DELETE /api/me (CONTRACT.md v2), behind requireAuth. */
export function meRouter({ accounts, rateLimits, announce, trustedProxies }: MeRouterDeps): Router {
  const router = Router();
  const clientAddress = (req: Request) => resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustedProxies);

  router.patch('/me', rateLimited(rateLimits, 'me:update'), async (req, res) => {
    const { displayName } = parseInput(profilePatchSchema, req.body);
    const { user, changed } = await accounts.setDisplayName(authOf(res).user, displayName);
    if (changed) await announce.profileChanged(user);
    res.json({ user });
  });

  /**
   * A password is checked as at sign-in: the address's budget of attempts, and the username's
   * budget of failures (a stolen session cannot guess the password it would need).
   */
  const withPassword = async <T>(req: Request, username: string, check: () => Promise<T>): Promise<T> => {
    await rateLimits.authAttempt(clientAddress(req));
    await rateLimits.assertLoginAllowed(username);
    try {
      const result = await check();
      await rateLimits.loginSucceeded(username);
      return result;
    } catch (error) {
      if (error instanceof AppError && error.code === 'FORBIDDEN') await rateLimits.loginFailed(username);
      throw error;
    }
  };

  router.post('/me/password', async (req, res) => {
    const me = authOf(res);
    const { endedSessionIds } = await withPassword(req, me.user.username, () => {
      const { currentPassword, newPassword } = parseInput(passwordChangeSchema, req.body);
      return accounts.changePassword(me, currentPassword, newPassword);
    });
    announce.sessionsEnded(endedSessionIds);
    res.status(204).end();
  });

  router.delete('/me', async (req, res) => {
    const me = authOf(res);
    const { endedSessionIds } = await withPassword(req, me.user.username, () => {
      const { password } = parseInput(accountDeleteSchema, req.body);
      return accounts.deleteAccount(me, password);
    });
    // Signed out everywhere first, so whatever happens next no socket of the account lingers.
    announce.sessionsEnded(endedSessionIds);
    announce.userSocketsEnded(me.user.id);
    clearSessionCookie(req, res);
    // Before it leaves them, its rooms hear what it shows as from now on: its messages stay, as `Deleted user`.
    await announce.profileChanged({ id: me.user.id, username: DELETED_USERNAME, displayName: DELETED_DISPLAY_NAME });
    await accounts.leaveEveryRoom(me.user, (roomId, newOwnerId) => announce.departed(roomId, me.user, newOwnerId));
    res.status(204).end();
  });

  return router;
}
