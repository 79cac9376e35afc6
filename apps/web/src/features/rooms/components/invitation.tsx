import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import type { RoomSummary } from '@parley/protocol';
import { LockIcon } from '../../../lib/icons';
import { PersonName } from '../../../lib/person';
import { useJoinRoom, useLeaveRoom } from '../api/rooms.api';

/**
 * A private room I am invited to but not in: who invited me, Join, and Decline (leaving a room I was
 * only invited to withdraws the invitation; the room then leaves my list).
 */
export function Invitation({ room, name }: { room: RoomSummary; name: ReactNode }) {
  const join = useJoinRoom();
  const decline = useLeaveRoom();
  const navigate = useNavigate();
  const pending = join.isPending || decline.isPending;
  const error = join.error ?? decline.error;

  return (
    <div className="empty">
      <h1>You are invited to {name}</h1>
      <p className="muted">
        <LockIcon />{' '}
        {room.invitedBy ? (
          <>
            <strong>
              <PersonName user={room.invitedBy} />
            </strong>{' '}
            invited you. Join to read and write in this private room.
          </>
        ) : (
          'Join to read and write in this private room.'
        )}
      </p>
      <div className="row">
        <button type="button" className="primary" disabled={pending} onClick={() => join.mutate(room.id)}>
          Join
        </button>
        <button type="button" disabled={pending} onClick={() => decline.mutate(room, { onSuccess: () => void navigate('/') })}>
          Decline
        </button>
      </div>
      {error && (
        <p role="alert" className="error small">
          {error.message}
        </p>
      )}
    </div>
  );
}
