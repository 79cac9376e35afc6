/**
 * One spelling per emoji: the variation selector U+FE0F after a character that is drawn as an
 * emoji anyway (👍️ = 👍) is dropped, so the same emoji chosen in the picker or typed is one reaction.
 * Where it matters (❤️, ☺️: text by default) it stays.
 */
export function normalizeEmoji(emoji: string): string {
  return emoji.replace(/(\p{Emoji_Presentation})\uFE0F/gu, '$1');
}
