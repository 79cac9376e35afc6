import { useId, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { dmParticipants, type RoomSummary, type User } from '@parley/protocol';
import { Avatar } from '../../../lib/person';
import { QueryStatus } from '../../../lib/query-status';
import type { RoomNameTag } from '../../../lib/room-names';
import { presenceQueryOptions, roomsQueryOptions, useOpenDm, type PresenceMap } from '../api/rooms.api';
import { byActivity } from '../room-order';
import { NewRoomDialog } from './new-room-dialog';
import { NewMessageDialog } from './new-message-dialog';
import { useRoomNameTags } from './room-name';
import { RoomListItem, roomPath } from './room-list-item';
import './room-list.css';

export { roomPath };

/**
 * The room picker: my rooms with unread badges, DMs with presence, invitations, rooms to browse; each
 * section newest activity first. Empty sections say what to do, with the button that does it.
 */
export function RoomList({ me }: { me: User }) {
  const rooms = useQuery(roomsQueryOptions);
  const presence: PresenceMap = useQuery(presenceQueryOptions).data ?? {};
  const [dialog, setDialog] = useState<'room' | 'dm' | null>(null);
  const openDm = useOpenDm();
  const navigate = useNavigate();
  const browseId = useId();

  const all = [...(rooms.data ?? [])].sort(byActivity);
  const tags = useRoomNameTags(rooms.data);
  const mine = all.filter((r) => r.joined && r.kind !== 'dm');
  const dms = all.filter((r) => r.joined && r.kind === 'dm');
  const invitations = all.filter((r) => !r.joined && r.kind === 'private');
  const browse = all.filter((r) => !r.joined && r.kind === 'public');
  // One "New message" button at a time: the empty DM section's, or the toolbar's.
  const noDms = rooms.isSuccess && dms.length === 0;

  const newMessageButton = (
    <button type="button" onClick={() => setDialog('dm')}>
      New message
    </button>
  );
  const browseRooms = () => {
    const heading = document.getElementById(browseId);
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus();
  };

  return (
    <nav aria-label="Rooms" className="room-list">
      <div className="room-list__actions">
        <button type="button" onClick={() => setDialog('room')}>
          New room
        </button>
        {!noDms && newMessageButton}
      </div>
      <QueryStatus query={rooms} loading="Loading rooms…" failed="Could not load rooms." className="small" />
      <Section title="Rooms" rooms={mine} tags={tags} meId={me.id}>
        {rooms.isSuccess && mine.length === 0 && (
          <EmptyState
            text={
              browse.length > 0
                ? 'You are not in any room yet. Create one, or join a public room.'
                : 'You are not in any room yet. Create the first one.'
            }
          >
            <button type="button" className="primary" onClick={() => setDialog('room')}>
              Create a room
            </button>
            {browse.length > 0 && (
              <button type="button" onClick={browseRooms}>
                Browse rooms
              </button>
            )}
          </EmptyState>
        )}
      </Section>
      <Section
        title="Direct messages"
        rooms={dms}
        tags={tags}
        meId={me.id}
        marker={(room) => {
          const members = dmParticipants(room.id) ?? [];
          if (members.length > 2) {
            // A group: how many are in it, not one person's presence.
            return (
              <span className="group-marker" role="img" aria-label={`Group of ${members.length}`}>
                {members.length}
              </span>
            );
          }
          const partner = members.find((id) => id !== me.id);
          const online = partner ? presence[partner] === true : false;
          return (
            <span className="dm-marker">
              {/* The room is named after the partner (their name as shown, from the server). */}
              {partner && <Avatar user={{ id: partner, username: room.name, displayName: '' }} size="small" />}
              <span className={`presence ${online ? 'presence--online' : ''}`} aria-label={online ? 'online' : 'offline'} role="img" />
            </span>
          );
        }}
      >
        {noDms && <EmptyState text="No conversations yet. Write to someone directly.">{newMessageButton}</EmptyState>}
      </Section>
      {invitations.length > 0 && <Section title="Invitations" rooms={invitations} tags={tags} meId={me.id} />}
      {browse.length > 0 && <Section title="Browse" headingId={browseId} rooms={browse} tags={tags} meId={me.id} />}

      {dialog === 'room' && <NewRoomDialog onClose={() => setDialog(null)} />}
      {dialog === 'dm' && (
        <NewMessageDialog
          meId={me.id}
          pending={openDm.isPending}
          error={openDm.error?.message}
          onClose={() => setDialog(null)}
          onOpen={(users) =>
            openDm.mutate(
              users.map((user) => user.id),
              {
                onSuccess: ({ room }) => {
                  setDialog(null);
                  void navigate(roomPath(room.id));
                },
              },
            )
          }
        />
      )}
    </nav>
  );
}

function EmptyState({ text, children }: { text: string; children: ReactNode }) {
  return (
    <div className="room-list__empty">
      <p className="muted small">{text}</p>
      <div className="row">{children}</div>
    </div>
  );
}

function Section({
  title,
  headingId,
  rooms,
  tags,
  meId,
  marker,
  children,
}: {
  title: string;
  headingId?: string;
  rooms: RoomSummary[];
  tags: Map<string, RoomNameTag>;
  meId: string;
  marker?: (room: RoomSummary) => ReactNode;
  /** What the section shows when it has no rooms. */
  children?: ReactNode;
}) {
  return (
    <section className="room-list__section">
      <h2 id={headingId} tabIndex={headingId ? -1 : undefined}>
        {title}
      </h2>
      {children}
      <ul>
        {rooms.map((room) => (
          <RoomListItem key={room.id} room={room} meId={meId} tag={tags.get(room.id)} marker={marker?.(room)} />
        ))}
      </ul>
    </section>
  );
}
