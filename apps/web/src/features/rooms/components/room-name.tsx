import { useMemo } from 'react';
import { hasVisibleCharacter } from '@parley/protocol';
import { roomNameTags, type RoomNameTag } from '../../../lib/room-names';

/** Tags for the look-alike names among the rooms I can see, recomputed when the list changes. */
export function useRoomNameTags(rooms: Parameters<typeof roomNameTags>[0] | undefined): Map<string, RoomNameTag> {
  return useMemo(() => roomNameTags(rooms ?? []), [rooms]);
}

/**
 * A room's name, isolated from the text around it (<bdi>: a right-to-left name cannot reorder the
 * "#" before it or the tag after it), followed by a tag when it could be mistaken for another.
 */
export function RoomName({ name, tag }: { name: string; tag?: RoomNameTag | undefined }) {
  return (
    <>
      <bdi>{hasVisibleCharacter(name) ? name : 'Unnamed room'}</bdi>
      {tag && (
        <span className="room-name__tag muted" title={tag.reason}>
          {' · '}
          {tag.tag}
          <span className="visually-hidden"> ({tag.reason})</span>
        </span>
      )}
    </>
  );
}
