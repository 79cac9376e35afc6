import type { Server as HttpServer } from 'node:http';
import { parse as parseCookie } from 'cookie';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { AuthService } from '../domain/auth.service.js';
import type { OriginPolicy } from '../origin-policy.js';
import { SESSION_COOKIE } from '../http/session-cookie.js';
import { isChatRoom, sessionChannel, userChannel } from './channels.js';
import type { RealtimeDeps } from './deps.js';
import { registerMessageHandlers } from './messages.handlers.js';
import { registerPresenceHandlers } from './presence.handlers.js';
import { registerRoomHandlers } from './rooms.handlers.js';
import type { ParleyServer, ParleySocket } from './types.js';

/** Large enough for the biggest valid payload (4000 code points of text, JSON-escaped), no more. */
export const MAX_PACKET_BYTES = 64 * 1024;

export interface RealtimeOptions {
  auth: AuthService;
  originAllowed: OriginPolicy;
  allowedOrigins: readonly string[];
  logger: Logger;
}

export function createIoServer(httpServer: HttpServer, { originAllowed, allowedOrigins }: RealtimeOptions): ParleyServer {
  return new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_PACKET_BYTES,
    cors: { origin: [...allowedOrigins], credentials: true },
    // The cors option does not stop a cross-site WebSocket: a handshake from a foreign Origin
    // loses its cookie here, so only an explicit auth.token can authenticate it.
    allowRequest: (req, callback) => {
      if (!originAllowed(req.headers.origin, req.headers.host)) delete req.headers.cookie;
      callback(null, true);
    },
  });
}

/** Authenticates handshakes, then wires each connected socket to its rooms and handlers. */
export function attachRealtime(deps: RealtimeDeps, auth: AuthService): void {
  const { io, rooms, presence, logger } = deps;
  const memberRooms = new WeakMap<ParleySocket, string[]>();

  io.use(async (socket, next) => {
    try {
      const token = handshakeToken(socket);
      const session = token ? await auth.authenticate(token) : null;
      if (!session) return next(new Error('UNAUTHORIZED'));
      socket.data.user = session.user;
      socket.data.sessionId = session.sessionId;
      // Load memberships before the connection opens, so joining the rooms is synchronous.
      memberRooms.set(socket, await rooms.memberRoomIds(session.user.id));
      next();
    } catch (error) {
      logger.error({ err: error }, 'handshake failed');
      next(new Error('UNAVAILABLE'));
    }
  });

  io.on('connection', (socket) => {
    const { user, sessionId } = socket.data;
    const roomIds = memberRooms.get(socket) ?? [];
    memberRooms.delete(socket);
    socket.join([userChannel(user.id), sessionChannel(sessionId), ...roomIds]);
    // The handshake request (and its buffers) is not needed after authentication: drop it to
    // keep idle connections small.
    (socket.conn as unknown as { request: unknown }).request = null;

    registerRoomHandlers(socket, deps);
    registerMessageHandlers(socket, deps);
    registerPresenceHandlers(socket, deps);

    void announcePresence(deps, user.id, roomIds, 'connected');
    socket.on('disconnecting', () => {
      const current = [...socket.rooms].filter((name) => isChatRoom(name, socket.id));
      void announcePresence(deps, user.id, current, 'disconnected');
    });
  });
}

function handshakeToken(socket: ParleySocket): string | undefined {
  const auth: unknown = socket.handshake.auth;
  const token = (auth as { token?: unknown } | undefined)?.token;
  if (typeof token === 'string') return token;
  const cookieHeader = socket.request.headers.cookie;
  return cookieHeader ? parseCookie(cookieHeader)[SESSION_COOKIE] : undefined;
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
