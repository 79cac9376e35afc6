/**
 * Every abuse limit Parley enforces. The defaults are far above what a person chatting does;
 * suites and benchmarks that flood on purpose set their own. Each comes from an environment
 * variable (config.ts, README's configuration table).
 */
export interface Limits {
  /** `message:send` per user per minute. */
  messagesPerMinute: number;
  /** Every other client event, per user and event, per minute. */
  eventsPerMinute: number;
  /** `room:create` per user per hour. */
  roomCreationsPerHour: number;
  /** Rooms (and DMs) one user may belong to. */
  roomsPerUser: number;
  /** Open sockets per user, on this node. */
  socketsPerUser: number;
  /** Open sockets per client address, on this node. */
  socketsPerIp: number;
  /** Login and registration attempts per client address per 10 minutes. */
  authAttemptsPerIp: number;
  /** Failed logins per username per 15 minutes (unknown usernames count the same). */
  loginFailuresPerUsername: number;
}

export const DEFAULT_LIMITS: Limits = {
  messagesPerMinute: 120,
  eventsPerMinute: 600,
  roomCreationsPerHour: 30,
  roomsPerUser: 500,
  socketsPerUser: 20,
  socketsPerIp: 200,
  authAttemptsPerIp: 60,
  loginFailuresPerUsername: 10,
};
