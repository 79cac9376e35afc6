/** Limits of the wire contract. Text limits count Unicode code points, not UTF-16 units. */
export const LIMITS = {
  usernameMin: 3,
  usernameMax: 32,
  passwordMin: 8,
  passwordMax: 128,
  roomNameMax: 64,
  messageTextMax: 4000,
  clientMsgIdMax: 128,
  idMax: 128,
  historyLimitMax: 100,
  historyLimitDefault: 50,
  userSearchMax: 20,
  presenceQueryMax: 200,
  /** v2 */
  changesLimitMax: 500,
  changesLimitDefault: 100,
  reactionsPerMessageMax: 20,
  /** Characters of one emoji (the longest ZWJ and tag sequences are far shorter). */
  emojiMax: 64,
  topicMax: 250,
  displayNameMax: 64,
  /** v2: a DM has 2 to 9 members (`dm:open` names 1 to 8 others). */
  dmMembersMax: 9,
  /** v2: `room:members` pages. */
  membersLimitMax: 200,
  membersLimitDefault: 100,
  /** A room id: a DM's is `dm:` and up to 9 member ids joined by `:`. */
  roomIdMax: 3 + 9 * 128 + 8,
  /** v2 (issue 17): files on one message, and the default cap of one upload (the server's LIMIT_UPLOAD_BYTES). */
  filesPerMessageMax: 10,
  uploadBytesMax: 25 * 1024 * 1024,
  /** A file's name, in code points. */
  fileNameMax: 255,
} as const;

export const DM_PREFIX = 'dm:';

/**
 * The id of the direct-message room among users (2 to 9, v2: group DMs): `dm:` + every member id
 * sorted (plain string sort, as CONTRACT.md says) and joined with `:`. Duplicates count once.
 */
export function dmRoomId(...userIds: string[]): string {
  const ids = [...new Set(userIds)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `${DM_PREFIX}${ids.join(':')}`;
}

/** The member ids of a DM room id (2 to 9, sorted as stored), or null when the id is not a DM id. */
export function dmParticipants(roomId: string): string[] | null {
  if (!roomId.startsWith(DM_PREFIX)) return null;
  const parts = roomId.slice(DM_PREFIX.length).split(':');
  if (parts.length < 2 || parts.length > LIMITS.dmMembersMax || parts.some((part) => !part)) return null;
  return parts;
}

/** The personal Socket.IO room every socket of a user is in. */
export function userChannel(userId: string): string {
  return `user:${userId}`;
}

/** Number of Unicode code points in a string (what the limits count). */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
