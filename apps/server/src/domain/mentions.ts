import { ROOM_MENTION, mentionTokens, type MentionToken } from '@parley/protocol';
import type { MentionQuery } from '../storage/storage.js';

/**
 * Who a text's mentions name, as storage resolves them against the room's members (CONTRACT.md v2):
 * lowercase names (usernames are lowercase) and `everyone` for an `@room` the author may make.
 * A name ending in `.` or `-` is asked for both ways (see `mentionTokens`). Null when they name
 * nobody, so storage makes no query.
 */
export function mentionQueryOf(tokens: readonly MentionToken[], mayMentionRoom: boolean): MentionQuery | null {
  const names = new Set<string>();
  let everyone = false;
  for (const token of tokens) {
    for (const candidate of token.names) {
      if (candidate === ROOM_MENTION) everyone ||= mayMentionRoom;
      else names.add(candidate);
    }
  }
  if (names.size === 0 && !everyone) return null;
  return { usernames: [...names], everyone };
}

/** `mentionQueryOf` a text: the hot path of a text with no `@` is one `includes`. */
export const mentionQuery = (text: string, mayMentionRoom: boolean): MentionQuery | null =>
  mentionQueryOf(mentionTokens(text), mayMentionRoom);

/** Whether the mentions say `@room` at all: only then does the author's role matter (and is looked up). */
export const saysRoom = (tokens: readonly MentionToken[]): boolean => tokens.some((token) => token.names.includes(ROOM_MENTION));
