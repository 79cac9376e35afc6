import { hasDirectionControl, hasVisibleCharacter, normalizeRoomName, type Room } from '@parley/protocol';

/**
 * Telling look-alike room names apart. The server stores every name in one form (NFKC, no invisible
 * characters), but `general` and `gеneral` (a Cyrillic е) are still different names that read the
 * same. Such names get a short tag, the end of the room id, and a reason.
 */
export interface RoomNameTag {
  tag: string;
  reason: string;
}

type NamedRoom = Pick<Room, 'id' | 'kind' | 'name'>;

/**
 * Letters that look alike, mapped to one of them (a small part of Unicode's confusables.txt, UTS #39):
 * Cyrillic and Greek letters that look Latin, both cases (uppercase Н looks like H, lowercase н does not),
 * and digits and strokes that look like letters.
 */
const LOOK_ALIKES: Record<string, string> = Object.fromEntries(
  [
    ['a', 'аАαΑ'],
    ['b', 'ВвΒβЬ'],
    ['c', 'сСϲϹ'],
    ['d', 'ԁ'],
    ['e', 'еЕεΕ'],
    ['h', 'НһΗ'],
    ['i', 'іι'],
    ['j', 'јЈ'],
    ['k', 'КкΚκ'],
    ['l', 'I1|ІΙӀӏǀƖ'],
    ['m', 'МмΜ'],
    ['n', 'Νη'],
    ['o', '0оОοΟσ'],
    ['p', 'рРρΡ'],
    ['q', 'ԛ'],
    ['s', 'ѕЅ'],
    ['t', 'ТтΤτ'],
    ['u', 'υ'],
    ['v', 'νѵ'],
    ['w', 'ԝ'],
    ['x', 'хХχΧ'],
    ['y', 'уУγΥ'],
    ['z', 'Ζ'],
    ['-', '\u2010\u2011\u2012\u2013\u2014\u2015\u2212'],
  ].flatMap(([to, from]) => [...from!].map((char) => [char, to!])),
);

/** What a name looks like: NFKC, invisible characters and accents gone, look-alikes folded, one case. */
export function nameSkeleton(name: string): string {
  const folded = [
    ...normalizeRoomName(name)
      .normalize('NFD')
      .replace(/[\p{M}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu, ''),
  ]
    .map((char) => LOOK_ALIKES[char] ?? char)
    .join('');
  return folded.toLowerCase().replaceAll('rn', 'm').replaceAll('vv', 'w');
}

/** Scripts whose letters pass for one another; a name that mixes two of them is suspect on its own. */
const LOOK_ALIKE_SCRIPTS = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
] as const;

/** The look-alike scripts among a name's letters, in the order above. */
export function lookAlikeScripts(name: string): string[] {
  const letters = [...name].filter((char) => /\p{L}/u.test(char));
  return LOOK_ALIKE_SCRIPTS.filter(([, pattern]) => letters.some((char) => pattern.test(char))).map(([script]) => script);
}

/** The end of a room id: enough to tell two rooms apart, short enough to read. */
export const roomIdTail = (id: string) => id.slice(-4);

/**
 * The rooms among `rooms` whose names need a tag to be told apart, by room id. DMs are named by the
 * server after usernames (ASCII only) and never get one, but a room named like a DM does.
 */
export function roomNameTags(rooms: readonly NamedRoom[]): Map<string, RoomNameTag> {
  const bySkeleton = new Map<string, number>();
  const skeletons = new Map(rooms.map((room) => [room.id, nameSkeleton(room.name)]));
  for (const skeleton of skeletons.values()) bySkeleton.set(skeleton, (bySkeleton.get(skeleton) ?? 0) + 1);

  const tags = new Map<string, RoomNameTag>();
  for (const room of rooms) {
    if (room.kind === 'dm') continue;
    const reason = tagReason(room.name, (bySkeleton.get(skeletons.get(room.id)!) ?? 0) > 1);
    if (reason) tags.set(room.id, { tag: roomIdTail(room.id), reason });
  }
  return tags;
}

function tagReason(name: string, looksLikeAnother: boolean): string | null {
  if (!hasVisibleCharacter(name)) return 'This room name has no visible characters.';
  if (hasDirectionControl(name)) return 'This room name contains characters that change the reading direction.';
  if (looksLikeAnother) return 'Another room has a name that looks the same; the tag is the end of this room’s id.';
  const scripts = lookAlikeScripts(name);
  if (scripts.length > 1) return `This room name mixes ${scripts.join(' and ')} letters, which can look alike.`;
  return null;
}
