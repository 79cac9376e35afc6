import type { MentionQuery } from '../storage/storage.js';

/**
 * `@name` as a whole word: not inside a word or an address (`bob@example.com`), and the name is
 * every username character that follows. A name may end in `.` or `-`, which also end sentences
 * ("thanks @bob."): both readings are asked for, and only members' usernames ever match.
 */
const MENTION = /(?<![\p{L}\p{N}_.@-])@([\p{L}\p{N}_.-]+)/gu;

/** `@room`: every member, for owners and admins only (otherwise plain text). */
export const ROOM_MENTION = 'room';

/**
 * Who a text mentions, as storage resolves it against the room's members (CONTRACT.md v2):
 * lowercase names (usernames are lowercase) and `everyone` for an `@room` the author may make.
 * Null when the text names nobody, so storage makes no query: the hot path of a text with no `@`
 * is one `includes`.
 */
export function mentionQuery(text: string, mayMentionRoom: boolean): MentionQuery | null {
  if (!text.includes('@')) return null;
  const names = new Set<string>();
  let everyone = false;
  for (const [, raw] of text.matchAll(MENTION)) {
    const name = raw!.toLowerCase();
    const trimmed = name.replace(/[.-]+$/, '');
    for (const candidate of [name, trimmed]) {
      if (candidate === ROOM_MENTION) everyone ||= mayMentionRoom;
      else if (candidate !== '') names.add(candidate);
    }
  }
  if (names.size === 0 && !everyone) return null;
  return { usernames: [...names], everyone };
}

/** Whether the text says `@room` at all: only then does the author's role matter (and is looked up). */
export function saysRoom(text: string): boolean {
  if (!text.includes('@')) return false;
  for (const [, raw] of text.matchAll(MENTION)) if (raw!.toLowerCase().replace(/[.-]+$/, '') === ROOM_MENTION) return true;
  return false;
}
