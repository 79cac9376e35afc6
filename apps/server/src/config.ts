import path from 'node:path';
import { LIMITS } from '@parley/protocol';
import { z } from 'zod';
import type { TrustedProxies } from './edge/client-address.js';
import { DEFAULT_LIMITS, type Limits } from './edge/limits.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Each abuse limit, as LIMIT_<NAME_IN_SNAKE_CASE> (e.g. LIMIT_MESSAGES_PER_MINUTE). */
const LIMIT_ENV = Object.fromEntries(
  Object.keys(DEFAULT_LIMITS).map((key) => [key, `LIMIT_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`]),
) as Record<keyof Limits, string>;

function limitVariables() {
  return Object.fromEntries(Object.values(LIMIT_ENV).map((name) => [name, z.coerce.number().int().positive().optional()]));
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  ALLOWED_ORIGINS: z.string().default(''),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 30),
  WEB_DIST: z.string().optional(),
  SERVE_SOURCE_MAPS: z.stringbool().default(false),
  BUILD_ID: z
    .string()
    .regex(/^[\w.-]{1,64}$/, 'letters, digits, _ . - only, at most 64')
    .optional(),
  RECOVERY_WINDOW_SECONDS: z.coerce.number().min(0).default(60),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
  CLUSTER_NAME: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{1,64}$/)
    .default('parley'),
  PRESENCE_NODE_TTL_SECONDS: z.coerce.number().int().min(1).default(30),
  MEMBERSHIP_CACHE_SIZE: z.coerce.number().int().positive().default(100_000),
  TRUSTED_PROXY_HOPS: z.union([z.literal('loopback'), z.coerce.number().int().min(0).max(10)]).default('loopback'),
  // Long enough that guessing it is hopeless (/metrics has no rate limit); one bearer credential, so no spaces.
  METRICS_TOKEN: z
    .string()
    .regex(/^\S{16,}$/, 'at least 16 characters, no whitespace')
    .optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  ...limitVariables(),
});

export interface Config {
  port: number;
  host: string | undefined;
  dataDir: string;
  /** Origins allowed to use cookie authentication besides the server's own. */
  allowedOrigins: string[];
  logLevel: (typeof LOG_LEVELS)[number];
  sessionTtlMs: number;
  /** How long a dropped socket can come back with its rooms and missed events (connection state recovery); 0 turns it off. */
  recoveryWindowMs: number;
  /** PostgreSQL, when set, instead of the embedded SQLite in DATA_DIR. */
  database: { url: string; schema: string | undefined; poolSize: number } | undefined;
  /** Redis, when set: the Socket.IO adapter, presence and rate limits are shared across nodes. */
  redisUrl: string | undefined;
  /** Names this deployment's Redis stream and keys, so several deployments can share one Redis. */
  clusterName: string;
  /** With Redis: how long after a node dies its users go offline for everyone. */
  presenceNodeTtlSeconds: number;
  limits: Limits;
  /** Memberships kept in memory for the check every message makes (least recently used go first). */
  membershipCacheSize: number;
  /** Proxies whose X-Forwarded-For is believed: a number of hops, or one hop from loopback only. */
  trustedProxies: TrustedProxies;
  /** When set, /metrics on the app port answers to `Authorization: Bearer <token>`; otherwise it is a 404. */
  metricsToken: string | undefined;
  /** When set, a separate listener on HOST:metricsPort serves /metrics without a token. */
  metricsPort: number | undefined;
  /** Folder of the built web app, served when it exists. */
  webDist: string;
  /** Serve the web app's source maps (`*.map`); off by default, so they stay private. */
  serveSourceMaps: boolean;
  /** The web build id told to clients in `server:info`, instead of the one in webDist/build.json. */
  buildId: string | undefined;
}

/** The only place that reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  const e = parsed.data;
  const limits = Object.fromEntries(
    Object.entries(LIMIT_ENV).map(([key, name]) => [key, (e as Record<string, unknown>)[name] ?? DEFAULT_LIMITS[key as keyof Limits]]),
  ) as unknown as Limits;
  // Clients rely on the contract's cap (they check a file's size before sending it); a deployment may only lower it.
  if (limits.uploadBytes > LIMITS.uploadBytesMax) {
    throw new Error(`Invalid configuration:\n${LIMIT_ENV.uploadBytes} must be at most ${LIMITS.uploadBytesMax} (25 MiB)`);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    allowedOrigins: parseOrigins(e.ALLOWED_ORIGINS),
    logLevel: e.LOG_LEVEL,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
    recoveryWindowMs: e.RECOVERY_WINDOW_SECONDS * 1000,
    database: e.DATABASE_URL ? { url: e.DATABASE_URL, schema: e.DATABASE_SCHEMA, poolSize: e.DATABASE_POOL_SIZE } : undefined,
    redisUrl: e.REDIS_URL,
    clusterName: e.CLUSTER_NAME,
    presenceNodeTtlSeconds: e.PRESENCE_NODE_TTL_SECONDS,
    limits,
    membershipCacheSize: e.MEMBERSHIP_CACHE_SIZE,
    trustedProxies: e.TRUSTED_PROXY_HOPS,
    metricsToken: e.METRICS_TOKEN,
    metricsPort: e.METRICS_PORT,
    // The built web app sits beside the server in the repo: apps/web/dist (from src/ or dist/).
    webDist: path.resolve(e.WEB_DIST ?? path.join(import.meta.dirname, '..', '..', 'web', 'dist')),
    serveSourceMaps: e.SERVE_SOURCE_MAPS,
    buildId: e.BUILD_ID,
  };
}

/** The address to open in a browser: localhost when listening on every interface. */
export function browserUrl(host: string | undefined, port: number): string {
  if (host === undefined || host === '0.0.0.0' || host === '::') return `http://localhost:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function parseOrigins(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => new URL(s).origin);
}
