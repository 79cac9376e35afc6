import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ServerOptions } from 'socket.io';
import { RedisPresence } from './redis-presence.js';
import type { ReadinessCheck } from './readiness.js';

export interface Cluster {
  /** For rate limits and presence: commands fail at once while Redis is away (no offline queue). */
  redis: Redis;
  adapter: ServerOptions['adapter'];
  presence: RedisPresence;
  readiness: ReadinessCheck;
  /** Called on every error of the Redis connections (counted in /metrics). */
  onError(listener: () => void): void;
  close(): Promise<void>;
}

/**
 * What lets several Parley nodes behave as one, all through Redis: the official Redis streams
 * adapter (broadcasts, socketsJoin/Leave, disconnectSockets and serverSideEmit reach every node;
 * connection state recovery sessions are kept in Redis), presence counted per node, and the rate
 * limits. The adapter gets its own connection, since it blocks on XREAD and must queue while
 * Redis is away to resume the stream where it left off.
 */
export function createCluster(url: string, name: string, logger: Logger, presenceNodeTtlSeconds = 30): Cluster {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const adapterRedis = new Redis(url);
  const listeners: Array<() => void> = [];
  for (const client of [redis, adapterRedis]) {
    client.on('error', (error: Error) => {
      logger.warn({ err: error }, 'redis error');
      for (const listener of listeners) listener();
    });
  }
  const presence = new RedisPresence(redis, name, presenceNodeTtlSeconds);
  return {
    redis,
    adapter: createAdapter(adapterRedis, { streamName: `${name}:socket.io`, sessionKeyPrefix: `${name}:sio:session:` }),
    presence,
    readiness: { name: 'redis', check: async () => void (await redis.ping()) },
    onError: (listener) => listeners.push(listener),
    close: async () => {
      await presence.close();
      await Promise.all([redis.quit(), adapterRedis.quit()].map((p) => p.catch(() => undefined)));
    },
  };
}
