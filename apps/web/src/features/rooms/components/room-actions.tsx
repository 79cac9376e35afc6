import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { RoomSummary } from '@parley/protocol';
import { useInvite, useLeaveRoom } from '../api/rooms.api';
import { PeopleDialog } from './people-dialog';

/** The actions in a room's header: invite (private rooms), leave. */
export function RoomActions({ room, meId }: { room: RoomSummary; meId: string }) {
  const [inviting, setInviting] = useState(false);
  const [invited, setInvited] = useState<string[]>([]);
  const invite = useInvite();
  const leave = useLeaveRoom();
  const navigate = useNavigate();
  if (!room.joined) return null;

  return (
    <div className="row">
      {room.kind === 'private' && (
        <button type="button" onClick={() => setInviting(true)}>
          Invite
        </button>
      )}
      <button type="button" disabled={leave.isPending} onClick={() => leave.mutate(room, { onSuccess: () => void navigate('/') })}>
        Leave room
      </button>
      {inviting && (
        <PeopleDialog
          title={`Invite to ${room.name}`}
          excludeIds={[meId]}
          status={invite.error ? invite.error.message : invited.length ? `Invited ${invited.join(', ')}` : undefined}
          onClose={() => {
            setInviting(false);
            setInvited([]);
          }}
          onPick={(user) =>
            invite.mutate({ roomId: room.id, userId: user.id }, { onSuccess: () => setInvited((list) => [...list, user.username]) })
          }
        />
      )}
    </div>
  );
}
