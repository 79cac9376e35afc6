import { useState } from 'react';
import { NavLink, useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { dmParticipants, type RoomSummary, type User } from '@parley/protocol';
import { QueryStatus } from '../../../lib/query-status';
import type { RoomNameTag } from '../../../lib/room-names';
import { presenceQueryOptions, roomsQueryOptions, useOpenDm, type PresenceMap } from '../api/rooms.api';
import { NewRoomDialog } from './new-room-dialog';
import { PeopleDialog } from './people-dialog';
import { RoomName, useRoomNameTags } from './room-name';

export const roomPath = (roomId: string) => `/rooms/${encodeURIComponent(roomId)}`;

/** The room picker: my rooms with unread badges, DMs with presence, invitations, rooms to browse. */
export function RoomList({ me }: { me: User }) {
  const rooms = useQuery(roomsQueryOptions);
  const presence: PresenceMap = useQuery(presenceQueryOptions).data ?? {};
  const [dialog, setDialog] = useState<'room' | 'dm' | null>(null);
  const openDm = useOpenDm();
  const navigate = useNavigate();

  const all = rooms.data ?? [];
  const tags = useRoomNameTags(rooms.data);
  const mine = all.filter((r) => r.joined && r.kind !== 'dm');
  const dms = all.filter((r) => r.joined && r.kind === 'dm');
  const invitations = all.filter((r) => !r.joined && r.kind === 'private');
  const browse = all.filter((r) => !r.joined && r.kind === 'public');

  return (
    <nav aria-label="Rooms" className="room-list">
      <div className="room-list__actions">
        <button type="button" onClick={() => setDialog('room')}>
          New room
        </button>
        <button type="button" onClick={() => setDialog('dm')}>
          New message
        </button>
      </div>
      <QueryStatus query={rooms} loading="Loading rooms…" failed="Could not load rooms." className="small" />
      <Section title="Rooms" rooms={mine} tags={tags} empty="Join or create a room to start." />
      <Section
        title="Direct messages"
        rooms={dms}
        tags={tags}
        empty="No conversations yet."
        decorate={(room) => {
          const partner = dmParticipants(room.id)?.find((id) => id !== me.id);
          const online = partner ? presence[partner] === true : false;
          return <span className={`presence ${online ? 'presence--online' : ''}`} aria-label={online ? 'online' : 'offline'} role="img" />;
        }}
      />
      {invitations.length > 0 && <Section title="Invitations" rooms={invitations} tags={tags} />}
      {browse.length > 0 && <Section title="Browse" rooms={browse} tags={tags} />}

      {dialog === 'room' && <NewRoomDialog onClose={() => setDialog(null)} />}
      {dialog === 'dm' && (
        <PeopleDialog
          title="New message"
          excludeIds={[me.id]}
          status={openDm.error?.message}
          onClose={() => setDialog(null)}
          onPick={(user) =>
            openDm.mutate(user.id, {
              onSuccess: ({ room }) => {
                setDialog(null);
                void navigate(roomPath(room.id));
              },
            })
          }
        />
      )}
    </nav>
  );
}

function Section({
  title,
  rooms,
  tags,
  empty,
  decorate,
}: {
  title: string;
  rooms: RoomSummary[];
  tags: Map<string, RoomNameTag>;
  empty?: string;
  decorate?: (room: RoomSummary) => React.ReactNode;
}) {
  return (
    <section className="room-list__section">
      <h2>{title}</h2>
      {rooms.length === 0 && empty && <p className="muted small">{empty}</p>}
      <ul>
        {rooms.map((room) => (
          <li key={room.id} className="room-list__item">
            {decorate?.(room)}
            <NavLink to={roomPath(room.id)} className="room-list__link">
              {room.kind === 'private' && <span aria-hidden="true">🔒 </span>}
              <RoomName name={room.name} tag={tags.get(room.id)} />
            </NavLink>
            {room.unread > 0 && (
              <span className="badge" role="img" aria-label={`${room.unread} unread`}>
                {room.unread > 99 ? '99+' : room.unread}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
