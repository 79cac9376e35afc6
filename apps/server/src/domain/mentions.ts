import { ROOM_MENTION, mentionTokens } from '@parley/protocol';
import type { MentionQuery } from '../storage/storage.js';

/**
 * Who a text mentions, as storage resolves it against the room's members (CONTRACT.md v2):
 * lowercase names (usernames are lowercase) and `everyone` for an `@room` the author may make.
 * A name ending in `.` or `-` is asked for both ways (see `mentionTokens`). Null when the text
 * names nobody, so storage makes no query: the hot path of a text with no `@` is one `includes`.
 */
export function mentionQuery(text: string, mayMentionRoom: boolean): MentionQuery | null {
  const names = new Set<string>();
  let everyone = false;
  for (const token of mentionTokens(text)) {
    for (const candidate of token.names) {
      if (candidate === ROOM_MENTION) everyone ||= mayMentionRoom;
      else names.add(candidate);
    }
  }
  if (names.size === 0 && !everyone) return null;
  return { usernames: [...names], everyone };
}

/** Whether the text says `@room` at all: only then does the author's role matter (and is looked up). */
export function saysRoom(text: string): boolean {
  return mentionTokens(text).some((token) => token.names.includes(ROOM_MENTION));
}
