import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { StorageUnavailableError } from '../storage/errors.js';
import type { PresenceTracker } from '../domain/presence.js';

/**
 * Sums a user's connections over the nodes that are alive (their heartbeat key exists), dropping
 * the counts of dead nodes. KEYS[1]: the user's hash of node id -> sockets; ARGV[1]: this node's
 * id; ARGV[2]: +1, -1 or 0 (just read); ARGV[3]: the key prefix; ARGV[4]: the user id. Each node
 * also keeps the set of its users with sockets, so whoever notices it died can tell their rooms.
 * Returns the live total after the change.
 */
const CHANGE_AND_COUNT = `
local delta = tonumber(ARGV[2])
if delta ~= 0 then
  local count = redis.call('HINCRBY', KEYS[1], ARGV[1], delta)
  local users = ARGV[3] .. ':node-users:' .. ARGV[1]
  if count <= 0 then
    redis.call('HDEL', KEYS[1], ARGV[1])
    redis.call('SREM', users, ARGV[4])
  else
    redis.call('SADD', users, ARGV[4])
  end
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
 * count of sockets per node. Each node keeps a heartbeat key alive; when one dies, its key
 * expires, its users stop counting, and the first live node to notice claims the dead node and
 * reports each of its users who is now offline everywhere (`watchOffline`), so their rooms hear it.
 */
export class RedisPresence implements PresenceTracker {
  readonly nodeId = randomUUID();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly listeners: Array<(userId: string) => void> = [];

  constructor(
    private readonly redis: Redis,
    /** Names this deployment's keys in a shared Redis. */
    private readonly prefix = 'parley',
    /** How long a node's heartbeat lives: its users go offline this long after it dies. */
    private readonly nodeTtlSeconds = 30,
  ) {
    const tick = () => {
      void this.alive().catch(() => undefined);
      void this.sweep().catch(() => undefined);
    };
    tick();
    // Commands fail while the connection is not up (no offline queue): beat again as soon as it is,
    // rather than leaving this node's users uncounted until the next interval.
    this.redis.on('ready', tick);
    this.heartbeat = setInterval(tick, (nodeTtlSeconds * 1000) / 3);
    this.heartbeat.unref();
  }

  async connected(userId: string): Promise<boolean> {
    return (await this.change(userId, 1)) === 1;
  }

  async disconnected(userId: string): Promise<boolean> {
    return (await this.change(userId, -1)) === 0;
  }

  async online(userIds: readonly string[]): Promise<string[]> {
    const totals = await Promise.all(userIds.map((id) => this.change(id, 0)));
    return userIds.filter((_, i) => totals[i]! > 0);
  }

  watchOffline(listener: (userId: string) => void): void {
    this.listeners.push(listener);
  }

  /** Stops the heartbeat and takes this node's connections out at once (graceful shutdown). */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.redis.del(this.key('node', this.nodeId)).catch(() => undefined);
  }

  private key(kind: string, id: string): string {
    return `${this.prefix}:${kind}:${id}`;
  }

  private async alive(): Promise<void> {
    await this.redis
      .multi()
      .set(this.key('node', this.nodeId), '1', 'EX', this.nodeTtlSeconds)
      .sadd(`${this.prefix}:nodes`, this.nodeId)
      .exec();
  }

  /** Claims nodes whose heartbeat expired (SREM: one claimant) and reports their users now offline. */
  private async sweep(): Promise<void> {
    const nodes = await this.redis.smembers(`${this.prefix}:nodes`);
    for (const node of nodes) {
      if (node === this.nodeId || (await this.redis.exists(this.key('node', node)))) continue;
      if ((await this.redis.srem(`${this.prefix}:nodes`, node)) !== 1) continue; // another node claimed it
      const usersKey = this.key('node-users', node);
      const users = await this.redis.smembers(usersKey);
      await this.redis.del(usersKey);
      for (const userId of users) {
        if ((await this.change(userId, 0)) === 0) for (const listener of this.listeners) listener(userId);
      }
    }
  }

  private async change(userId: string, delta: number): Promise<number> {
    try {
      return Number(await this.redis.eval(CHANGE_AND_COUNT, 1, this.key('presence', userId), this.nodeId, delta, this.prefix, userId));
    } catch (error) {
      throw new StorageUnavailableError('presence is unavailable', { cause: error });
    }
  }
}
