import { createServer, type Server as HttpServer } from 'node:http';
import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import type { ServerOptions } from 'socket.io';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { trustsProxyHop, type TrustedProxies } from './edge/client-address.js';
import { AccountService } from './domain/account.service.js';
import { AuthService } from './domain/auth.service.js';
import { MessageService } from './domain/message.service.js';
import { InMemoryPresence, type PresenceTracker } from './domain/presence.js';
import { DmService } from './domain/dm.service.js';
import { FileService } from './domain/file.service.js';
import { ModerationService } from './domain/moderation.service.js';
import { NO_ROOM_EVENTS, type RoomEvents } from './domain/events.js';
import { MembershipCache } from './domain/membership-cache.js';
import { RoomCap } from './domain/room-cap.js';
import { RoomService } from './domain/room.service.js';
import { SearchService } from './domain/search.service.js';
import { UserService } from './domain/user.service.js';
import { authRouter } from './http/auth.router.js';
import { requireAuth } from './http/authenticate.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { filesRouter } from './http/files.router.js';
import { healthRouter } from './http/health.router.js';
import { meRouter } from './http/me.router.js';
import type { ReadinessCheck } from './infra/readiness.js';
import { metricsRouter } from './http/metrics.router.js';
import { roomsRouter } from './http/rooms.router.js';
import { searchRouter } from './http/search.router.js';
import { usersRouter } from './http/users.router.js';
import { webAppRouter } from './http/web-app.router.js';
import { DEFAULT_LIMITS, type Limits } from './edge/limits.js';
import { sharpImageReader } from './infra/images.js';
import { Metrics } from './infra/metrics.js';
import { createOriginPolicy } from './edge/origin-policy.js';
import { RateLimits } from './infra/rate-limits.js';
import { accountAnnouncer } from './realtime/account-announce.js';
import { sessionChannel } from './realtime/channels.js';
import { attachRealtime, corsOptions, createIoServer } from './realtime/io.js';
import { readWebBuild } from './realtime/server-info.js';
import type { ParleyServer } from './realtime/types.js';
import type { Storage } from './storage/storage.js';

export interface AppDeps {
  storage: Storage;
  logger: Logger;
  allowedOrigins?: readonly string[];
  sessionTtlMs?: number;
  /** Connection state recovery window; one minute by default. */
  recoveryWindowMs?: number;
  presence?: PresenceTracker;
  /** Folder of the built web app to serve on the same port, if any. */
  webDist?: string | undefined;
  /**
   * The web build id announced in `server:info` (BUILD_ID); by default the one the build wrote in
   * webDist/build.json, null when there is none.
   */
  build?: string | null | undefined;
  /** Serve the web app's source maps (SERVE_SOURCE_MAPS); a 404 otherwise. */
  serveSourceMaps?: boolean;
  /** Abuse limits; unset ones take DEFAULT_LIMITS. */
  limits?: Partial<Limits>;
  /** Shared Redis (REDIS_URL): rate limits then hold across nodes. */
  redis?: Redis;
  /** Prefix of this deployment's keys in a shared Redis (CLUSTER_NAME). */
  clusterName?: string;
  /**
   * The Socket.IO adapter that makes several nodes one (the Redis streams adapter). With it,
   * ended memberships are announced to the other nodes' caches.
   */
  adapter?: ServerOptions['adapter'];
  /** Memberships kept in memory for the hot-path check (MEMBERSHIP_CACHE_SIZE). */
  membershipCacheSize?: number;
  /** Extra dependencies /readyz must see answer (storage is always checked). */
  readinessChecks?: readonly ReadinessCheck[];
  /** Whose X-Forwarded-For to believe (TRUSTED_PROXY_HOPS); one local proxy by default. */
  trustedProxies?: TrustedProxies;
  /** Opens /metrics on this port to `Authorization: Bearer <token>` (METRICS_TOKEN); 404 without it. */
  metricsToken?: string | undefined;
  /** The clock of uploads and their sweep (tests move it a day on); the real one by default. */
  clock?: () => Date;
}

export interface App {
  httpServer: HttpServer;
  io: ParleyServer;
  metrics: Metrics;
  /**
   * Removes files never sent within a day, and stored bytes no file names (app.ts runs it at
   * start-up and every hour); how many of each.
   */
  sweepFiles(): Promise<{ unsent: number; orphans: number }>;
  /** Stops accepting, disconnects every socket, closes storage. */
  close(): Promise<void>;
}

const THIRTY_DAYS_MS = 30 * 24 * 3_600_000;
const DEFAULT_MEMBERSHIP_CACHE_SIZE = 100_000;
const HOUR_MS = 3_600_000;

/**
 * The SPA loads only its own bundled scripts and styles: no inline script or handler, no eval,
 * no third-party origin, no framing. Injected markup could not run even if it reached the DOM.
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Builds Parley from what it is given. Does not listen and reads no environment. */
export function createApp(deps: AppDeps): App {
  const { storage, logger } = deps;
  const allowedOrigins = deps.allowedOrigins ?? [];
  const originAllowed = createOriginPolicy(allowedOrigins);

  const auth = new AuthService(storage, deps.sessionTtlMs ?? THIRTY_DAYS_MS);
  const limits: Limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const presence = deps.presence ?? new InMemoryPresence();
  const rateLimits = new RateLimits(limits, deps.redis, deps.clusterName);

  const expressApp = express();
  const httpServer = createServer(expressApp);
  const io = createIoServer(httpServer, { originAllowed, recoveryWindowMs: deps.recoveryWindowMs ?? 60_000, adapter: deps.adapter });
  const metrics = new Metrics(() => io.of('/').sockets.size);
  const trustedProxies = deps.trustedProxies ?? 'loopback';

  // With several nodes, a membership ended here is announced so every node's cache forgets it.
  const roomEvents: RoomEvents = deps.adapter
    ? { membershipEnded: (roomId, userId) => io.serverSideEmit('membership:removed', roomId, userId) }
    : NO_ROOM_EVENTS;
  const cap = new RoomCap(storage, limits.roomsPerUser);
  const rooms = new RoomService(storage, cap, new MembershipCache(deps.membershipCacheSize ?? DEFAULT_MEMBERSHIP_CACHE_SIZE), roomEvents);
  const dms = new DmService(storage, cap);
  const moderation = new ModerationService(storage, rooms);
  const messages = new MessageService(storage, rooms, undefined, (error, fileIds) =>
    logger.warn({ err: error, fileIds }, 'the files of a deleted message stay on storage until the orphan sweep'),
  );
  const users = new UserService(storage, rooms);
  const files = new FileService(storage, rooms, sharpImageReader(), limits, deps.clock);
  if (deps.adapter) io.on('membership:removed', (roomId, userId) => rooms.forgetMember(roomId, userId));
  const build = deps.build !== undefined ? deps.build : readWebBuild(deps.webDist);
  const realtime = { io, rooms, moderation, dms, messages, presence, logger, rateLimits, limits, metrics, trustedProxies };
  attachRealtime(realtime, auth, build);
  const accounts = new AccountService(storage, rooms);
  const announceAccounts = accountAnnouncer(realtime, { crossNode: deps.adapter !== undefined });

  expressApp.disable('x-powered-by');
  // The rule of client-address.ts, for req.secure (X-Forwarded-Proto) and anything reading req.ip.
  expressApp.set('trust proxy', trustsProxyHop(trustedProxies));
  expressApp.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY } }));
  expressApp.use(pinoHttp({ logger, autoLogging: { ignore: (req) => req.url === '/healthz' } }));
  expressApp.use(metricsRouter(metrics, deps.metricsToken));
  expressApp.use(healthRouter([{ name: 'storage', check: () => storage.ping() }, ...(deps.readinessChecks ?? [])], logger));

  const api = express.Router();
  api.use(cors(corsOptions(originAllowed)));
  const authenticated = requireAuth(auth, originAllowed);
  // Before express.json(): an upload's body is the file, streamed to storage, whatever its type.
  api.use(filesRouter(files, rateLimits, authenticated));
  api.use(express.json({ limit: '64kb' }));
  api.use(
    authRouter({
      auth,
      rateLimits,
      originAllowed,
      endSessionSockets: (sessionId) => io.in(sessionChannel(sessionId)).disconnectSockets(true),
      trustedProxies,
    }),
  );
  api.use(authenticated);
  api.use(roomsRouter(rooms, messages, rateLimits));
  api.use(meRouter({ accounts, rateLimits, announce: announceAccounts, trustedProxies }));
  api.use(usersRouter(users, rateLimits));
  api.use(searchRouter(new SearchService(storage), rateLimits));
  api.use(notFoundHandler);
  expressApp.use('/api', api);
  if (deps.webDist) expressApp.use(webAppRouter(deps.webDist, { serveSourceMaps: deps.serveSourceMaps ?? false }));
  expressApp.use(errorHandler(logger));

  // Expired sessions no longer authenticate; sweep their rows now and then.
  const sweep = setInterval(() => {
    storage.sessions.deleteExpired(Date.now()).catch((error: unknown) => logger.warn({ err: error }, 'session sweep failed'));
  }, HOUR_MS);
  sweep.unref();

  // Unsent uploads go after a day, orphaned bytes (a crash between bytes and row) after an hour:
  // swept at start-up and every hour. One sweep at a time; close() waits for the one running.
  let fileSweep: Promise<unknown> = Promise.resolve();
  const sweepFiles = () => {
    const run = fileSweep.then(() => files.sweep());
    fileSweep = run.catch(() => undefined);
    return run;
  };
  const sweepFilesLogged = () => {
    sweepFiles().then(
      (swept) => {
        if (swept.unsent > 0 || swept.orphans > 0) logger.info(swept, 'swept files');
      },
      (error: unknown) => logger.warn({ err: error }, 'file sweep failed'),
    );
  };
  sweepFilesLogged();
  const fileSweepTimer = setInterval(sweepFilesLogged, HOUR_MS);
  fileSweepTimer.unref();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(sweep);
      clearInterval(fileSweepTimer);
      // io.close() disconnects every socket and closes the HTTP server.
      await new Promise<void>((resolve) => io.close(() => resolve()));
      httpServer.closeAllConnections();
      await fileSweep;
      await storage.close();
    })();
    return closing;
  };

  return { httpServer, io, metrics, sweepFiles, close };
}
