/**
 * `@name` as a whole word (CONTRACT.md v2): not inside a word or an address (`bob@example.com`),
 * and the name is every username character that follows. Shared so that the server resolves and
 * the web app highlights exactly the same words.
 */
export const MENTION_PATTERN = /(?<![\p{L}\p{N}_.@-])@([\p{L}\p{N}_.-]+)/gu;

/** `@room`: every member, for owners and admins only (otherwise plain text). */
export const ROOM_MENTION = 'room';

/** A mention as written in a text: where it is, and the names it may mean, most likely first. */
export interface MentionToken {
  /** Index of the `@` in the text (UTF-16). */
  index: number;
  /** The written `@name`, as long as `names[0]`. */
  length: number;
  /**
   * Lowercase candidates: the whole name, then without trailing `.` and `-` (which also end
   * sentences: "thanks @bob."). Only members' usernames ever match.
   */
  names: string[];
}

/** Every `@name` of a text, in order. */
export function mentionTokens(text: string): MentionToken[] {
  if (!text.includes('@')) return [];
  const tokens: MentionToken[] = [];
  for (const match of text.matchAll(MENTION_PATTERN)) {
    const name = match[1]!.toLowerCase();
    const trimmed = name.replace(/[.-]+$/, '');
    tokens.push({ index: match.index, length: name.length + 1, names: trimmed === name || trimmed === '' ? [name] : [name, trimmed] });
  }
  return tokens;
}
