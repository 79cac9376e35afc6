/**
 * Unicode rules for text that people read: what counts as visible, and the one form a room name is
 * stored in. Plain functions, no Node or DOM, so the server, the web app and bots share the same rules.
 */

/**
 * Direction controls: embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069) and the
 * marks LRM, RLM, ALM. They reorder the text around them, so a name could read as something it is not.
 */
const DIRECTION_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;

/**
 * A code point that draws something on its own: not whitespace, not a control or format character,
 * not default-ignorable (zero-width space, joiners, variation selectors, Hangul fillers), not a
 * combining mark without a base, not the blank Braille pattern that fakes a space.
 */
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}\p{M}\u2800]/u;

/** Invisible characters that a name loses; whitespace is collapsed separately. */
const STRIPPABLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
const WHITESPACE = /\p{White_Space}/u;
const WHITESPACE_RUNS = /\p{White_Space}+/gu;

export function hasDirectionControl(text: string): boolean {
  return DIRECTION_CONTROL.test(text);
}

/** True when at least one character of the text would show up on screen. */
export function hasVisibleCharacter(text: string): boolean {
  return VISIBLE.test(text);
}

/**
 * The stored form of a room name: invisible characters removed, NFKC (full-width and other
 * compatibility forms become plain letters), whitespace runs made one space, then trimmed. So
 * `general\u200b` and `gen\u00aderal` are stored as `general`, and `Ｇｅｎｅｒａｌ` as `General`.
 * Direction controls are not removed here: the schema refuses them, so nothing is reordered silently.
 */
export function normalizeRoomName(name: string): string {
  return stripInvisible(stripInvisible(name).normalize('NFKC')).replace(WHITESPACE_RUNS, ' ').trim();
}

function stripInvisible(text: string): string {
  const chars = [...text];
  const kept: string[] = [];
  chars.forEach((char, i) => {
    if (
      WHITESPACE.test(char) ||
      !STRIPPABLE.test(char) ||
      DIRECTION_CONTROL.test(char) ||
      shownInContext(kept.at(-1), char, chars[i + 1])
    ) {
      kept.push(char);
    }
  });
  return kept.join('');
}

const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const KEYCAP_BASE = /^[0-9#*]$/u;
const ZWJ_AFTER = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]/u;
const TAG = /^[\u{E0020}-\u{E007F}]$/u;
const TAG_AFTER = /^[\u{1F3F4}\u{E0020}-\u{E007E}]$/u;
const ZWNJ_SCRIPT_LETTER = /[\p{L}\p{M}]/u;
const NO_ZWNJ_SCRIPT = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Common}\p{Script=Inherited}]/u;

/**
 * The invisible characters that are part of what a name shows, and so are kept: VS15/VS16 after an
 * emoji or keycap base, ZWJ between pictographs (👩‍💻), tags after a black flag (subdivision flags),
 * and ZWNJ between letters of scripts that shape with it (Persian, Indic), never in Latin,
 * Greek or Cyrillic where it would only hide.
 */
function shownInContext(previous: string | undefined, char: string, next: string | undefined): boolean {
  if (previous === undefined) return false;
  if (char === '\uFE0E' || char === '\uFE0F') {
    return PICTOGRAPH.test(previous) || (KEYCAP_BASE.test(previous) && next === '\u20E3');
  }
  if (char === '\u200D') return ZWJ_AFTER.test(previous) && next !== undefined && PICTOGRAPH.test(next);
  if (TAG.test(char)) return TAG_AFTER.test(previous);
  if (char === '\u200C') {
    return ZWNJ_SCRIPT_LETTER.test(previous) && !NO_ZWNJ_SCRIPT.test(previous) && next !== undefined && /\p{L}/u.test(next);
  }
  return false;
}
