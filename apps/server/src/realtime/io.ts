import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type ServerOptions } from 'socket.io';
import { resolveClientAddress } from '../client-address.js';
import type { Authenticated, AuthService } from '../domain/auth.service.js';
import type { OriginPolicy } from '../origin-policy.js';
import { sessionTokenFromCookie } from '../http/session-cookie.js';
import { isChatRoom, sessionChannel, userChannel } from './channels.js';
import type { RealtimeDeps } from './deps.js';
import { attachDispatcher, type HandlerTable } from './handler.js';
import { messageHandlers } from './messages.handlers.js';
import { presenceHandlers, stopTyping } from './presence.handlers.js';
import { jsonOnlyParser } from './parser.js';
import { guardRecovery } from './recovery.js';
import { boundWriteBuffers } from './write-bound.js';
import { roomHandlers } from './rooms.handlers.js';
import type { ParleyServer, ParleySocket } from './types.js';

/** Large enough for the biggest valid payload (4000 code points of text, JSON-escaped), no more. */
export const MAX_PACKET_BYTES = 64 * 1024;

/**
 * CORS: any origin may call with a token (bearer clients of other teams); only allowed origins
 * get credentials (the cookie), which the server would ignore from elsewhere anyway.
 */
export function corsOptions(originAllowed: OriginPolicy) {
  return (req: { headers: { origin?: string | undefined; host?: string | undefined } }, callback: (error: Error | null, options: { origin: boolean; credentials: boolean }) => void) =>
    callback(null, { origin: true, credentials: originAllowed(req.headers.origin, req.headers.host) });
}

export interface RealtimeOptions {
  originAllowed: OriginPolicy;
  /** How long a dropped socket's rooms and missed packets are kept for connection state recovery; 0 turns it off. */
  recoveryWindowMs: number;
  /** The Socket.IO adapter (the Redis streams adapter when several nodes share the work). */
  adapter?: ServerOptions['adapter'] | undefined;
}

/**
 * Helmet does not see Engine.IO's own responses (long-polling, the WebSocket upgrade): they get
 * the headers that matter for them here. Their bodies are Engine.IO frames, never a page.
 */
const ENGINE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
} as const;

export function createIoServer(httpServer: HttpServer, options: RealtimeOptions): ParleyServer {
  const io = newServer(httpServer, options);
  io.engine.on('headers', (headers: Record<string, string>) => Object.assign(headers, ENGINE_HEADERS));
  return io;
}

function newServer(httpServer: HttpServer, { originAllowed, recoveryWindowMs, adapter }: RealtimeOptions): ParleyServer {
  return new Server(httpServer, {
    ...(adapter && { adapter }),
    serveClient: false,
    maxHttpBufferSize: MAX_PACKET_BYTES,
    parser: jsonOnlyParser,
    cors: corsOptions(originAllowed),
    // The fast path after a short drop, not the guarantee (clients catch up from history when a
    // socket is not recovered). Middlewares run for recovered sockets too; guardRecovery checks
    // the session and memberships before the missed packets are replayed.
    ...(recoveryWindowMs > 0 && { connectionStateRecovery: { maxDisconnectionDuration: recoveryWindowMs, skipMiddlewares: false } }),
    // The cors option does not stop a cross-site WebSocket: a handshake from a foreign Origin
    // loses its cookie here, so only an explicit auth.token can authenticate it.
    allowRequest: (req, callback) => {
      if (!originAllowed(req.headers.origin, req.headers.host)) delete req.headers.cookie;
      callback(null, true);
    },
  });
}

const handlers: HandlerTable = { ...roomHandlers, ...messageHandlers, ...presenceHandlers };

/** Authenticates handshakes, then wires each connected socket to its rooms and handlers. */
export function attachRealtime(deps: RealtimeDeps, auth: AuthService): void {
  const { io, rooms, logger, limits } = deps;
  const admitted = new WeakMap<ParleySocket, { roomIds: string[]; expiresAt: number }>();
  const connections = new Counter();
  boundWriteBuffers(io, limits.socketBufferBytes, logger);

  // A socket recovered after a logout, an expiry or leaving a room (from another device) must
  // get nothing it is no longer entitled to: refuse to restore it; it connects as new instead.
  // And a socket is restored only to the login that owned it, proven by the handshake itself.
  guardRecovery(
    io,
    {
      identify: async (request, handshakeAuth) => {
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
      // Load memberships before the connection opens, so joining the rooms is synchronous.
      admitted.set(socket, { roomIds: await rooms.memberRoomIds(session.user.id), expiresAt: session.expiresAt });
      next();
    } catch (error) {
      logger.error({ err: error }, 'handshake failed');
      next(new Error('UNAVAILABLE'));
    }
  });

  // A node died with users on it: once presence notices, their rooms hear they went offline.
  deps.presence.watchOffline?.((userId) => {
    rooms
      .memberRoomIds(userId)
      .then((roomIds) => {
        if (roomIds.length > 0) io.to(roomIds).emit('presence:changed', { userId, online: false });
      })
      .catch((error: unknown) => logger.warn({ err: error, userId }, 'could not announce a user offline'));
  });

  io.on('connection', (socket) => {
    const { user, sessionId } = socket.data;
    const { roomIds, expiresAt } = admitted.get(socket) ?? { roomIds: [], expiresAt: 0 };
    admitted.delete(socket);
    endAtExpiry(socket, expiresAt);
    socket.join([userChannel(user.id), sessionChannel(sessionId), ...roomIds]);
    const address = clientAddress(socket, deps.trustedProxies);
    connections.add(user.id, 1);
    connections.add(address, 1);
    socket.once('disconnect', () => {
      connections.add(user.id, -1);
      connections.add(address, -1);
    });
    // The handshake request (and its buffers) is not needed after authentication: drop it to
    // keep idle connections small.
    (socket.conn as unknown as { request: unknown }).request = null;

    attachDispatcher(socket, deps, handlers);

    void announcePresence(deps, user.id, roomIds, 'connected');
    socket.on('disconnecting', () => {
      stopTyping(deps, socket);
      const current = [...socket.rooms].filter((name) => isChatRoom(name, socket.id));
      void announcePresence(deps, user.id, current, 'disconnected');
    });
  });
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
async function authenticateHandshake(auth: AuthService, handshakeAuth: unknown, cookieHeader: string | undefined): Promise<Authenticated | null> {
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

/** Tells the people who share a room with the user when they come online or go offline. */
async function announcePresence(
  { io, presence, logger }: RealtimeDeps,
  userId: string,
  roomIds: string[],
  change: 'connected' | 'disconnected',
): Promise<void> {
  try {
    const transition = change === 'connected' ? await presence.connected(userId) : await presence.disconnected(userId);
    if (!transition || roomIds.length === 0) return;
    io.to(roomIds).except(userChannel(userId)).emit('presence:changed', { userId, online: change === 'connected' });
  } catch (error) {
    logger.warn({ err: error, userId }, 'presence update failed');
  }
}

/** The client's address for per-address caps, by the same rule as HTTP (client-address.ts). */
function clientAddress(socket: ParleySocket, trusted: RealtimeDeps['trustedProxies']): string {
  const { address, headers } = socket.handshake;
  return resolveClientAddress(address, headers['x-forwarded-for'], trusted);
}
