import { ROOM_MENTION, type User } from '@parley/protocol';

/** The `@name` being typed: it ends at the caret, and starts where a mention may (see MENTION_PATTERN). */
const TYPING_MENTION = /(?<![\p{L}\p{N}_.@-])@([a-z0-9_.-]{0,32})$/iu;

/** The mention being typed at `caret`: where its `@` is, and the lowercase prefix typed after it. */
export function mentionAtCaret(text: string, caret: number): { start: number; prefix: string } | null {
  const match = TYPING_MENTION.exec(text.slice(0, caret));
  return match ? { start: match.index, prefix: match[1]!.toLowerCase() } : null;
}

/** What the list offers: a member (by username), or `@room` (owners and admins only). */
export type MentionOption = { kind: 'user'; user: User } | { kind: 'room' };

export const MAX_OPTIONS = 8;

/** The options for a prefix: members other than me, then `@room` where I may use it. */
export function mentionOptions(members: readonly User[], prefix: string, meId: string, mayMentionRoom: boolean): MentionOption[] {
  const options: MentionOption[] = members
    .filter((user) => user.id !== meId && user.username.startsWith(prefix))
    .slice(0, MAX_OPTIONS)
    .map((user) => ({ kind: 'user', user }));
  if (mayMentionRoom && ROOM_MENTION.startsWith(prefix)) options.push({ kind: 'room' });
  return options;
}

export const optionName = (option: MentionOption) => (option.kind === 'room' ? ROOM_MENTION : option.user.username);

/** The text with the typed `@prefix` (from `start` to `caret`) replaced by the chosen name and a space; and the caret after it. */
export function insertMention(text: string, start: number, caret: number, name: string): { text: string; caret: number } {
  const inserted = `@${name} `;
  const rest = text.slice(caret).replace(/^ /, '');
  return { text: text.slice(0, start) + inserted + rest, caret: start + inserted.length };
}
