import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type ServerOptions } from 'socket.io';
import type { AuthService } from '../domain/auth.service.js';
import type { OriginPolicy } from '../origin-policy.js';
import { sessionTokenFromCookie } from '../http/session-cookie.js';
import { isChatRoom, sessionChannel, userChannel } from './channels.js';
import type { RealtimeDeps } from './deps.js';
import { attachDispatcher, type HandlerTable } from './handler.js';
import { messageHandlers } from './messages.handlers.js';
import { presenceHandlers, stopTyping } from './presence.handlers.js';
import { jsonOnlyParser } from './parser.js';
import { guardRecovery } from './recovery.js';
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

export function createIoServer(httpServer: HttpServer, { originAllowed, recoveryWindowMs, adapter }: RealtimeOptions): ParleyServer {
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

  // A socket recovered after a logout, an expiry or leaving a room (from another device) must
  // get nothing it is no longer entitled to: refuse to restore it; it connects as new instead.
  guardRecovery(
    io,
    async ({ sid, data, rooms: roomNames }) => {
      if (!(await auth.isActive(data.sessionId))) return false;
      const current = new Set(await rooms.memberRoomIds(data.user.id));
      return roomNames.every((name) => !isChatRoom(name, sid) || current.has(name));
    },
    logger,
  );

  io.use(async (socket, next) => {
    try {
      let session = null;
      for (const token of handshakeTokens(socket)) {
        session = await auth.authenticate(token);
        if (session) break;
      }
      if (!session) return next(new Error('UNAUTHORIZED'));
      const address = clientAddress(socket);
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
    const address = clientAddress(socket);
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

/** The client's address; behind a proxy on this machine, the one it forwarded. */
function clientAddress(socket: ParleySocket): string {
  const { address, headers } = socket.handshake;
  const forwarded = headers['x-forwarded-for'];
  if (isLoopback(address) && typeof forwarded === 'string' && forwarded.length > 0) return forwarded.split(',')[0]!.trim();
  return address;
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** The handshake's auth.token, then its session cookie (a stale token does not hide a valid cookie). */
function handshakeTokens(socket: ParleySocket): string[] {
  const tokens: string[] = [];
  const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof token === 'string') tokens.push(token);
  const cookie = sessionTokenFromCookie(socket.request.headers.cookie);
  if (cookie) tokens.push(cookie);
  return tokens;
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
