import type { Message, RoomSummary, User } from '@parley/protocol';

export const ME: User = { id: 'u_me', username: 'me', displayName: '' };
export const BOB: User = { id: 'u_bob', username: 'bob', displayName: '' };

/** A v2 message of room r_1 (top-level unless `threadRootId` is given); its rev is its seq unless given. */
export function message(seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `m_${seq}`,
    roomId: 'r_1',
    seq,
    author: BOB,
    text: `message ${seq}`,
    clientMsgId: `c_${seq}`,
    createdAt: new Date(Date.UTC(2026, 10, 23, 12, 0, seq)).toISOString(),
    rev: seq,
    editedAt: null,
    deleted: false,
    threadRootId: null,
    thread: null,
    reactions: [],
    mentions: [],
    files: [],
    ...overrides,
  };
}

/** A message of mine (ME) in room r_1. */
export const mine = (seq: number, overrides: Partial<Message> = {}) => message(seq, { author: ME, ...overrides });

/** A room as the room list shows it: public "general" (r_1), joined as a member, no messages, nothing unread; `overrides` says what differs. */
export function roomSummary(overrides: Partial<RoomSummary> = {}): RoomSummary {
  return {
    id: 'r_1',
    kind: 'public',
    name: 'general',
    memberCount: 2,
    lastSeq: 0,
    lastRev: 0,
    topic: '',
    joined: true,
    unread: 0,
    lastMessage: null,
    invitedBy: null,
    mentions: 0,
    threadsUnread: 0,
    muted: false,
    role: 'member',
    ...overrides,
  };
}

/** A reply in the thread of m_1 (unless `threadRootId` says another). */
export const reply = (seq: number, overrides: Partial<Message> = {}) =>
  message(seq, { threadRootId: 'm_1', text: `reply ${seq}`, ...overrides });
