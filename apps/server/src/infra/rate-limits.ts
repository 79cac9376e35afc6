import type { ClientEventName } from '@parley/protocol';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../domain/errors.js';
import type { Limits } from '../edge/limits.js';

/**
 * What a user can ask for, each with its own budget of LIMIT_EVENTS_PER_MINUTE: the socket events,
 * and the HTTP routes that have no socket event. An operation both transports offer (history) is
 * named after its event, so it spends one budget whichever way it is asked for.
 */
export type Operation = ClientEventName | 'room:list' | 'user:search' | 'me:get' | 'me:update' | 'search' | 'file:upload' | 'file:get';

/** RATE_LIMITED, with how long to wait (HTTP sends it as Retry-After). */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('RATE_LIMITED', message);
  }
}

/**
 * The rate limits, in memory on one node or in Redis when it is configured, so that limits hold
 * across nodes. A Redis outage falls back to a per-node memory limiter (rate-limiter-flexible's
 * insurance limiter) rather than failing requests or letting floods through.
 */
export class RateLimits {
  /** The operations with a budget of their own (the others share LIMIT_EVENTS_PER_MINUTE each), and what a refusal calls them. */
  private readonly events = new Map<Operation, { limiter: RateLimiterAbstract; what: string }>();
  private readonly otherEvents: RateLimiterAbstract;
  private readonly authPerIp: RateLimiterAbstract;
  private readonly loginFailures: RateLimiterAbstract;

  constructor(
    limits: Limits,
    private readonly redis?: Redis,
    /** Names this deployment's keys in a shared Redis. */
    private readonly prefix = 'parley',
  ) {
    this.events.set('message:send', { limiter: this.limiter('message:send', limits.messagesPerMinute, 60), what: 'messages' });
    this.events.set('room:create', { limiter: this.limiter('room:create', limits.roomCreationsPerHour, 3600), what: 'new rooms' });
    this.events.set('file:upload', { limiter: this.limiter('file:upload', limits.uploadsPerMinute, 60), what: 'uploads' });
    this.otherEvents = this.limiter('event', limits.eventsPerMinute, 60);
    this.authPerIp = this.limiter('auth-ip', limits.authAttemptsPerIp, 600);
    this.loginFailures = this.limiter('login-failures', limits.loginFailuresPerUsername, 900);
  }

  /** Counts one request of a user, socket event or HTTP call; RATE_LIMITED when over. Nothing else has happened yet. */
  event(event: Operation, userId: string): Promise<void> {
    const own = this.events.get(event);
    return own ? consume(own.limiter, userId, own.what) : consume(this.otherEvents, `${event}:${userId}`, `${event} requests`);
  }

  /** Counts one login or registration attempt from an address. */
  authAttempt(ip: string): Promise<void> {
    return consume(this.authPerIp, ip, 'sign-in attempts');
  }

  /** RATE_LIMITED while a username has too many recent failed logins (known or not: the same answer). */
  async assertLoginAllowed(username: string): Promise<void> {
    const state = await this.loginFailures.get(username);
    if (state && state.remainingPoints <= 0) throw tooMany('failed sign-ins for this username', state);
  }

  async loginFailed(username: string): Promise<void> {
    await this.loginFailures.penalty(username, 1);
  }

  async loginSucceeded(username: string): Promise<void> {
    await this.loginFailures.delete(username);
  }

  private limiter(name: string, points: number, duration: number): RateLimiterAbstract {
    const keyPrefix = `${this.prefix}:rl:${name}`;
    if (!this.redis) return new RateLimiterMemory({ keyPrefix, points, duration });
    return new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix,
      points,
      duration,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
    });
  }
}

async function consume(limiter: RateLimiterAbstract, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw tooMany(what, error);
    throw error;
  }
}

function tooMany(what: string, state: RateLimiterRes): RateLimitedError {
  const seconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  return new RateLimitedError(`too many ${what}; try again in ${seconds} s`, seconds);
}
