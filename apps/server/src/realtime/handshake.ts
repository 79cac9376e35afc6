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

  const expiries = new ExpiryTimers();
  // One function for every socket (`this`), not a closure per socket (issue 18: memory per idle
  // connection). The user id and the address are the ones counted at connection: the id never
  // changes, and the address is resolved again from the same handshake.
  function release(this: ParleySocket): void {
    connections.add(this.data.user.id, -1);
    connections.add(clientAddress(this, deps.trustedProxies), -1);
    expiries.remove(this);
  }

  return (socket) => {
    const { roomIds, expiresAt } = admitted.get(socket) ?? { roomIds: [], expiresAt: 0 };
    admitted.delete(socket);
    connections.add(socket.data.user.id, 1);
    connections.add(clientAddress(socket, deps.trustedProxies), 1);
    socket.on('disconnect', release);
    expiries.add(socket, expiresAt);
    return roomIds;
  };
}

/** Longest delay a Node timer takes (about 24.8 days); longer sessions re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Disconnects sockets when their session expires, as logout would: one timer per expiry time, shared
 * by every socket of that session on this node, rather than one per socket.
 */
class ExpiryTimers {
  private readonly due = new Map<number, { sockets: Set<ParleySocket>; timer: NodeJS.Timeout }>();
  private readonly expiryOf = new WeakMap<ParleySocket, number>();

  add(socket: ParleySocket, expiresAt: number): void {
    if (expiresAt <= Date.now()) return void socket.disconnect(true);
    let entry = this.due.get(expiresAt);
    if (!entry) {
      entry = { sockets: new Set(), timer: this.arm(expiresAt) };
      this.due.set(expiresAt, entry);
    }
    entry.sockets.add(socket);
    this.expiryOf.set(socket, expiresAt);
  }

  remove(socket: ParleySocket): void {
    const expiresAt = this.expiryOf.get(socket);
    const entry = expiresAt === undefined ? undefined : this.due.get(expiresAt);
    if (!entry) return;
    entry.sockets.delete(socket);
    if (entry.sockets.size > 0) return;
    clearTimeout(entry.timer);
    this.due.delete(expiresAt!);
  }

  private arm(expiresAt: number): NodeJS.Timeout {
    return setTimeout(() => this.fire(expiresAt), Math.min(Math.max(0, expiresAt - Date.now()), MAX_TIMER_MS));
  }

  private fire(expiresAt: number): void {
    const entry = this.due.get(expiresAt);
    if (!entry) return;
    // A timer fires at most MAX_TIMER_MS after it was set: a longer session waits again.
    if (expiresAt > Date.now()) return void (entry.timer = this.arm(expiresAt));
    this.due.delete(expiresAt);
    for (const socket of entry.sockets) socket.disconnect(true);
  }
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
