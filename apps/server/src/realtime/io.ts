import type { Server as HttpServer } from 'node:http';
import { PROTOCOL_VERSION } from '@parley/protocol';
import { Server, type ServerOptions } from 'socket.io';
import type { AuthService } from '../domain/auth.service.js';
import type { OriginPolicy } from '../edge/origin-policy.js';
import { isChatRoom, sessionChannel, userChannel } from './channels.js';
import type { RealtimeDeps } from './deps.js';
import { createDispatcher, type HandlerTable } from './handler.js';
import { admitSockets } from './handshake.js';
import { messageHandlers } from './messages.handlers.js';
import { presenceHandlers, stopTyping } from './presence.handlers.js';
import { jsonOnlyParser } from './parser.js';
import { boundWriteBuffers } from './write-bound.js';
import { moderationHandlers } from './moderation.handlers.js';
import { roomHandlers } from './rooms.handlers.js';
import type { ParleyServer, ParleySocket } from './types.js';

/** Large enough for the biggest valid payload (4000 code points of text, JSON-escaped), no more. */
export const MAX_PACKET_BYTES = 64 * 1024;

/**
 * CORS: any origin may call with a token (bearer clients of other teams); only allowed origins
 * get credentials (the cookie), which the server would ignore from elsewhere anyway.
 */
export function corsOptions(originAllowed: OriginPolicy) {
  return (
    req: { headers: { origin?: string | undefined; host?: string | undefined } },
    callback: (error: Error | null, options: { origin: boolean; credentials: boolean }) => void,
  ) => callback(null, { origin: true, credentials: originAllowed(req.headers.origin, req.headers.host) });
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

const handlers: HandlerTable = { ...roomHandlers, ...moderationHandlers, ...messageHandlers, ...presenceHandlers };

/**
 * Authenticates handshakes, then wires each connected socket to its rooms and handlers. `build` is
 * the id of the web build this server serves (null: none), told to every socket in `server:info`.
 */
export function attachRealtime(deps: RealtimeDeps, auth: AuthService, build: string | null = null): void {
  const { io, rooms, logger, limits } = deps;
  boundWriteBuffers(io, limits.socketBufferBytes, logger);
  const admittedRooms = admitSockets(deps, auth);

  // A node died with users on it: once presence notices, their rooms hear they went offline.
  deps.presence.watchOffline?.((userId) => {
    rooms
      .memberRoomIds(userId)
      .then((roomIds) => {
        if (roomIds.length > 0) io.to(roomIds).emit('presence:changed', { userId, online: false });
      })
      .catch((error: unknown) => logger.warn({ err: error, userId }, 'could not announce a user offline'));
  });

  const attachDispatcher = createDispatcher(deps, handlers);
  // One function for every socket (`this`), not a closure per socket: see createDispatcher.
  function onDisconnecting(this: ParleySocket): void {
    stopTyping(deps, this);
    const current = [...this.rooms].filter((name) => isChatRoom(name, this.id));
    void announcePresence(deps, this.data.user.id, current, 'disconnected');
  }

  io.on('connection', (socket) => {
    const { user, sessionId } = socket.data;
    const roomIds = admittedRooms(socket);
    socket.join([userChannel(user.id), sessionChannel(sessionId), ...roomIds]);
    // The handshake request (and its buffers) is not needed after authentication: drop it to
    // keep idle connections small.
    (socket.conn as unknown as { request: unknown }).request = null;

    attachDispatcher(socket);
    // On every connection, recovered ones too: a tab learns of a deploy when it reconnects.
    socket.emit('server:info', { protocol: PROTOCOL_VERSION, build });

    void announcePresence(deps, user.id, roomIds, 'connected');
    socket.on('disconnecting', onDisconnecting);
  });
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
    io.to(roomIds)
      .except(userChannel(userId))
      .emit('presence:changed', { userId, online: change === 'connected' });
  } catch (error) {
    logger.warn({ err: error, userId }, 'presence update failed');
  }
}
