import { useId, type ReactNode } from 'react';
import { NavLink } from 'react-router';
import type { RoomSummary, User } from '@parley/protocol';
import { usePeopleLookup } from '../../../lib/people.store';
import { shownName } from '../../../lib/person';
import { LockIcon } from '../../../lib/icons';
import { oneLine } from '../../../lib/one-line';
import { plural } from '../../../lib/plural';
import type { RoomNameTag } from '../../../lib/room-names';
import { formatFullTime, formatShortTime } from '../../../lib/short-time';
import { RoomName } from './room-name';

export const roomPath = (roomId: string) => `/rooms/${encodeURIComponent(roomId)}`;

/** Enough of a message for one line; CSS cuts it to the width, this only keeps the page small. */
const PREVIEW_MAX = 140;

/**
 * The second line of an entry: who invited me, or the newest message ("You: …" for mine); people
 * named as `nameOf` shows them (their display name, as last heard).
 */
export function previewOf(room: RoomSummary, meId: string, nameOf: (user: User) => string = shownName): string | null {
  if (!room.joined && room.invitedBy) return `${nameOf(room.invitedBy)} invited you`;
  const last = room.lastMessage;
  if (!last) return null;
  const author = last.author.id === meId ? 'You' : nameOf(last.author);
  // A message of files alone has no text; a deleted message (a tombstone) has neither.
  if (last.text === '' && last.files > 0) return `${author}: ${last.files === 1 ? 'sent a file' : `sent ${last.files} files`}`;
  if (last.text === '') return `${author}: message deleted`;
  return `${author}: ${oneLine(last.text, PREVIEW_MAX)}`;
}

const badgeCount = (n: number) => (n > 99 ? '99+' : n);

/**
 * One room in the list. The link's accessible name is the room's name alone (what people look for);
 * the rest (private, members, preview, time) is its description, read after it. The whole row is
 * the link's click target.
 */
export function RoomListItem({
  room,
  meId,
  tag,
  marker,
}: {
  room: RoomSummary;
  meId: string;
  tag: RoomNameTag | undefined;
  /** Shown before the name (a DM's presence dot). */
  marker?: ReactNode;
}) {
  const descriptionId = useId();
  const person = usePeopleLookup();
  const preview = previewOf(room, meId, (user) => shownName(person(user)));
  const members = !room.joined && room.kind === 'public' ? plural(room.memberCount, 'member') : null;
  const time = room.lastMessage && !(room.invitedBy && !room.joined) ? room.lastMessage.createdAt : null;
  const shortTime = time ? formatShortTime(time) : null;
  const description = [
    room.kind === 'private' ? 'Private room' : null,
    room.muted ? 'Muted' : null,
    members,
    preview && shortTime ? `${preview} (${shortTime})` : preview,
  ]
    .filter(Boolean)
    .join('. ');

  return (
    <li className={room.muted ? 'room-entry room-entry--muted' : 'room-entry'}>
      {marker && <span className="room-entry__marker">{marker}</span>}
      <NavLink to={roomPath(room.id)} className="room-entry__link" aria-describedby={description ? descriptionId : undefined}>
        {room.kind === 'private' && <LockIcon />}
        <RoomName name={room.name} tag={tag} />
      </NavLink>
      {time && (
        <time className="room-entry__time" dateTime={time} title={formatFullTime(time)} aria-hidden="true">
          {shortTime}
        </time>
      )}
      {(preview || members) && (
        <span className="room-entry__preview" aria-hidden="true">
          {[members, preview].filter(Boolean).join(' · ')}
        </span>
      )}
      {(room.unread > 0 || room.mentions > 0) && (
        <span className="room-entry__badges">
          {room.mentions > 0 && (
            <span className="badge badge--mention" role="img" aria-label={plural(room.mentions, 'mention')}>
              @{badgeCount(room.mentions)}
            </span>
          )}
          {room.unread > 0 && (
            <span className="badge" role="img" aria-label={plural(room.unread, 'unread message')}>
              {badgeCount(room.unread)}
            </span>
          )}
        </span>
      )}
      {description && (
        <span id={descriptionId} className="visually-hidden">
          {description}
        </span>
      )}
    </li>
  );
}
