import type { Logger } from 'pino';
import type { TrustedProxies } from '../edge/client-address.js';
import type { MessageService } from '../domain/message.service.js';
import type { PresenceTracker } from '../domain/presence.js';
import type { DmService } from '../domain/dm.service.js';
import type { ModerationService } from '../domain/moderation.service.js';
import type { RoomService } from '../domain/room.service.js';
import type { Limits } from '../edge/limits.js';
import type { Metrics } from '../infra/metrics.js';
import type { RateLimits } from '../infra/rate-limits.js';
import type { ParleyServer } from './types.js';

export interface RealtimeDeps {
  io: ParleyServer;
  rooms: RoomService;
  moderation: ModerationService;
  dms: DmService;
  messages: MessageService;
  presence: PresenceTracker;
  logger: Logger;
  rateLimits: RateLimits;
  limits: Limits;
  metrics: Metrics;
  /** Whose X-Forwarded-For to believe for per-address caps (the rule HTTP uses too). */
  trustedProxies: TrustedProxies;
}
