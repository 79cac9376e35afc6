import type { Authenticated, AuthService } from '../domain/auth.service.js';
import { resolveClientAddress } from '../edge/client-address.js';
import { sessionTokenFromCookie } from '../edge/session-cookie.js';
import { isChatRoom } from './channels.js';
import type { RealtimeDeps } from './deps.js';
import { guardRecovery } from './recovery.js';
import { handshakeBuild, handshakeProtocol, unsupportedProtocolError } from './server-info.js';
import type { ParleySocket } from './types.js';

/**
 * Who may open a socket: a client that speaks a protocol version this server speaks (checked
 * first, before anything is looked up), with the handshake's session (token or cookie), within the
 * caps on sockets per user and per address, and only until the session expires. Recovered sockets
 * pass the same checks, and are restored only to the login that owned them (recovery.ts).
 *
 * Returns, for a socket that connected, the rooms its user belonged to at the handshake (loaded
 * before the connection opens, so joining them is synchronous).
 */
export function admitSockets(deps: RealtimeDeps, auth: AuthService): (socket: ParleySocket) => string[] {
  const { io, rooms, logger, limits } = deps;
  const admitted = new WeakMap<ParleySocket, { roomIds: string[]; expiresAt: number }>();
  const connections = new Counter();

  // A socket recovered after a logout, an expiry or leaving a room (from another device) must
  // get nothing it is no longer entitled to: refuse to restore it; it connects as new instead.
  // And a socket is restored only to the login that owned it, proven by the handshake itself.
  guardRecovery(
    io,
    {
      identify: async (request, handshakeAuth) => {
        // Refused below anyway: restore nothing to it.
        if (handshakeProtocol(handshakeAuth) === null) return null;
        const session = await authenticateHandshake(auth, handshakeAuth, request.headers.cookie);
        return session && { userId: session.user.id, sessionId: session.sessionId };
      },
      allow: async ({ sid, data, rooms: roomNames }) => {
        if (!(await auth.isActive(data.sessionId))) return false;
        const current = new Set(await rooms.memberRoomIds(data.user.id));
        return roomNames.every((name) => !isChatRoom(name, sid) || current.has(name));
      },
    },
    logger,
  );

  io.use(async (socket, next) => {
    const protocol = handshakeProtocol(socket.handshake.auth);
    if (protocol === null) return next(unsupportedProtocolError());
    try {
      const session = await authenticateHandshake(auth, socket.handshake.auth, socket.request.headers.cookie);
      if (!session) return next(new Error('UNAUTHORIZED'));
      // A restored socket carries the login that owned it; the guard already made sure it is this one.
      if (socket.recovered && socket.data.sessionId !== session.sessionId) return next(new Error('UNAUTHORIZED'));
      const address = clientAddress(socket, deps.trustedProxies);
      if (connections.count(session.user.id) >= limits.socketsPerUser) {
        return next(capError(`too many connections for this user (${limits.socketsPerUser})`));
      }
      if (connections.count(address) >= limits.socketsPerIp) {
        return next(capError(`too many connections from this address (${limits.socketsPerIp})`));
      }
      socket.data.user = session.user;
      socket.data.sessionId = session.sessionId;
      socket.data.protocol = protocol;
      logger.debug({ userId: session.user.id, protocol, build: handshakeBuild(socket.handshake.auth) }, 'socket admitted');
      admitted.set(socket, { roomIds: await rooms.memberRoomIds(session.user.id), expiresAt: session.expiresAt });
      next();
    } catch (error) {
      logger.error({ err: error }, 'handshake failed');
      next(new Error('UNAVAILABLE'));
    }
  });

  return (socket) => {
    const { roomIds, expiresAt } = admitted.get(socket) ?? { roomIds: [], expiresAt: 0 };
    admitted.delete(socket);
    endAtExpiry(socket, expiresAt);
    const { id: userId } = socket.data.user;
    const address = clientAddress(socket, deps.trustedProxies);
    connections.add(userId, 1);
    connections.add(address, 1);
    socket.once('disconnect', () => {
      connections.add(userId, -1);
      connections.add(address, -1);
    });
    return roomIds;
  };
}

/** Longest delay a Node timer takes (about 24.8 days); longer sessions re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Disconnects the socket when its session expires, as logout would. */
function endAtExpiry(socket: ParleySocket, expiresAt: number): void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) return void socket.disconnect(true);
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  arm();
  socket.once('disconnect', () => clearTimeout(timer));
}

/** Open sockets per user and per address on this node; entries go when they reach zero. */
class Counter {
  private readonly counts = new Map<string, number>();

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  add(key: string, delta: number): void {
    const next = this.count(key) + delta;
    if (next > 0) this.counts.set(key, next);
    else this.counts.delete(key);
  }
}

function capError(message: string): Error {
  return Object.assign(new Error('RATE_LIMITED'), { data: { message } });
}

/**
 * The session a handshake proves: its auth.token, then its session cookie (a stale token does not
 * hide a valid cookie). A cookie from a foreign Origin was already dropped by allowRequest.
 */
async function authenticateHandshake(
  auth: AuthService,
  handshakeAuth: unknown,
  cookieHeader: string | undefined,
): Promise<Authenticated | null> {
  const tokens: string[] = [];
  const token = (handshakeAuth as { token?: unknown } | undefined)?.token;
  if (typeof token === 'string') tokens.push(token);
  const cookie = sessionTokenFromCookie(cookieHeader);
  if (cookie) tokens.push(cookie);
  for (const candidate of tokens) {
    const session = await auth.authenticate(candidate);
    if (session) return session;
  }
  return null;
}

/** The client's address for per-address caps, by the same rule as HTTP (edge/client-address.ts). */
function clientAddress(socket: ParleySocket, trusted: RealtimeDeps['trustedProxies']): string {
  const { address, headers } = socket.handshake;
  return resolveClientAddress(address, headers['x-forwarded-for'], trusted);
}
