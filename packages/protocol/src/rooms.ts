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
} as const;

export const DM_PREFIX = 'dm:';

/**
 * The id of the direct-message room between two users: `dm:` + both ids sorted
 * (plain string sort, as CONTRACT.md says) and joined with `:`.
 */
export function dmRoomId(userA: string, userB: string): string {
  const [first, second] = userA < userB ? [userA, userB] : [userB, userA];
  return `${DM_PREFIX}${first}:${second}`;
}

/** The two user ids of a DM room id, or null when the id is not a DM id. */
export function dmParticipants(roomId: string): [string, string] | null {
  if (!roomId.startsWith(DM_PREFIX)) return null;
  const parts = roomId.slice(DM_PREFIX.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  return [parts[0], parts[1]];
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
