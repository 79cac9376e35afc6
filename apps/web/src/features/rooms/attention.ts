import type { Message, RoomSummary } from '@parley/protocol';
import { oneLine } from '../../lib/one-line';
import { usePeopleStore } from '../../lib/people.store';
import { shownName } from '../../lib/person';

/** Enough of a message for a notification's body. */
const BODY_MAX = 160;

/**
 * What asks for my attention in a room: every unread message of a DM, only the mentions of me
 * elsewhere (as Slack counts its badge). Muted rooms still count their mentions (issue 15).
 */
export function attentionOf(room: RoomSummary): number {
  if (!room.joined) return 0;
  return room.kind === 'dm' ? room.unread : room.mentions;
}

/** The document title: `(N) Parley` while N messages ask for my attention, `Parley` otherwise. */
export function titleFor(rooms: readonly RoomSummary[]): string {
  const count = rooms.reduce((sum, room) => sum + attentionOf(room), 0);
  return count > 0 ? `(${count}) Parley` : 'Parley';
}

/**
 * Whether a new message deserves a desktop notification: a DM or a mention of me, by someone else,
 * in a room I am in and did not mute.
 */
export function notifies(message: Message, room: RoomSummary | undefined, meId: string): boolean {
  if (!room?.joined || room.muted || message.author.id === meId) return false;
  return room.kind === 'dm' || message.mentions.includes(meId);
}

/** A notification's title and body: who wrote where, and the text (cut to one line's worth). */
export function notificationText(message: Message, room: RoomSummary): { title: string; body: string } {
  const author = shownName(usePeopleStore.getState().byId[message.author.id] ?? message.author);
  return { title: room.kind === 'dm' ? author : `${author} in ${room.name}`, body: oneLine(message.text, BODY_MAX) };
}
