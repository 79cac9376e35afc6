import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { StorageUnavailableError } from '../storage/errors.js';
import type { PresenceTracker } from './presence.js';

const NODE_TTL_SECONDS = 30;
const HEARTBEAT_MS = 10_000;

/**
 * Sums a user's connections over the nodes that are alive (their heartbeat key exists), dropping
 * the counts of dead nodes. KEYS[1]: the user's hash of node id -> sockets; ARGV[1]: this node's
 * id; ARGV[2]: +1, -1 or 0 (just read); ARGV[3]: the key prefix. Returns the live total after the change.
 */
const CHANGE_AND_COUNT = `
local delta = tonumber(ARGV[2])
if delta ~= 0 then
  local count = redis.call('HINCRBY', KEYS[1], ARGV[1], delta)
  if count <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
end
local total = 0
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if redis.call('EXISTS', ARGV[3] .. ':node:' .. fields[i]) == 1 then
    total = total + tonumber(fields[i + 1])
  else
    redis.call('HDEL', KEYS[1], fields[i])
  end
end
return total`;

/**
 * Presence shared by every node through Redis, with no fetchSockets on the hot path: per user, a
 * count of sockets per node; each node keeps a heartbeat key alive, so the users of a node that
 * dies go offline once its key expires (30 s) even though it never said goodbye.
 */
export class RedisPresence implements PresenceTracker {
  readonly nodeId = randomUUID();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    /** Names this deployment's keys in a shared Redis. */
    private readonly prefix = 'parley',
  ) {
    const beat = () => void this.redis.set(`${this.prefix}:node:${this.nodeId}`, '1', 'EX', NODE_TTL_SECONDS).catch(() => undefined);
    beat();
    this.heartbeat = setInterval(beat, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async connected(userId: string): Promise<boolean> {
    await this.alive();
    return (await this.change(userId, 1)) === 1;
  }

  async disconnected(userId: string): Promise<boolean> {
    return (await this.change(userId, -1)) === 0;
  }

  async online(userIds: readonly string[]): Promise<string[]> {
    const totals = await Promise.all(userIds.map((id) => this.change(id, 0)));
    return userIds.filter((_, i) => totals[i]! > 0);
  }

  /** Stops the heartbeat and takes this node's connections out at once (graceful shutdown). */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.redis.del(`${this.prefix}:node:${this.nodeId}`).catch(() => undefined);
  }

  private async alive(): Promise<void> {
    await this.redis.set(`${this.prefix}:node:${this.nodeId}`, '1', 'EX', NODE_TTL_SECONDS);
  }

  private async change(userId: string, delta: number): Promise<number> {
    try {
      return Number(await this.redis.eval(CHANGE_AND_COUNT, 1, `${this.prefix}:presence:${userId}`, this.nodeId, delta, this.prefix));
    } catch (error) {
      throw new StorageUnavailableError('presence is unavailable', { cause: error });
    }
  }
}
