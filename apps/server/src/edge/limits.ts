import { LIMITS } from '@parley/protocol';

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
  /**
   * Bytes the server may hold for one connection that is not reading (queued packets plus the
   * WebSocket's unsent bytes); past it the connection is cut.
   */
  socketBufferBytes: number;
  /** Events of one socket worked on at once; more wait their turn, in order. */
  eventsInFlightPerSocket: number;
  /** Events of one socket that may wait for a turn; beyond, `RATE_LIMITED` at once. */
  eventsWaitingPerSocket: number;
  /** Login and registration attempts per client address per 10 minutes. */
  authAttemptsPerIp: number;
  /** Failed logins per username per 15 minutes (unknown usernames count the same). */
  loginFailuresPerUsername: number;
  /** Bytes of one uploaded file (POST /api/rooms/:id/files); at most the contract's 25 MiB. */
  uploadBytes: number;
  /** Bytes one user may upload per UTC day, sent or not. */
  uploadBytesPerDay: number;
  /** Uploads per user per minute. */
  uploadsPerMinute: number;
}

export const DEFAULT_LIMITS: Limits = {
  messagesPerMinute: 120,
  eventsPerMinute: 600,
  roomCreationsPerHour: 30,
  roomsPerUser: 500,
  socketsPerUser: 20,
  socketsPerIp: 200,
  // Two pages of the largest history (100 messages of 4,000 four-byte code points) fit; a client that reads never nears it.
  socketBufferBytes: 4 * 1024 * 1024,
  eventsInFlightPerSocket: 8,
  eventsWaitingPerSocket: 256,
  authAttemptsPerIp: 60,
  loginFailuresPerUsername: 10,
  uploadBytes: LIMITS.uploadBytesMax,
  // 40 files of the largest size a day, or hundreds of screenshots: more than a person shares, and
  // little enough that one account cannot fill the disk or the database of a small deployment.
  uploadBytesPerDay: 1024 * 1024 * 1024,
  // A burst of a dozen screenshots is normal; a script posting files nonstop is not.
  uploadsPerMinute: 30,
};
