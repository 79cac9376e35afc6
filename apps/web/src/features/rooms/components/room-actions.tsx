import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router';
import type { RoomSummary } from '@parley/protocol';
import { useInvite, useLeaveRoom, useMuteRoom } from '../api/rooms.api';
import { canModerate } from '../moderation';
import { shownName } from '../../../lib/person';
import { LeaveRoomDialog } from './leave-room-dialog';
import { PeopleDialog } from './people-dialog';
import { RoomSettingsDialog } from './room-settings-dialog';

/**
 * The actions in a room's header: `Members` (the panel's toggle, when the caller shows one; also
 * for a public room I only read), mute, invite (private rooms), `Room settings` (owners and admins),
 * leave (after a confirmation).
 */
export function RoomActions({
  room,
  meId,
  membersOpen,
  onToggleMembers,
}: {
  room: RoomSummary;
  meId: string;
  membersOpen?: boolean;
  onToggleMembers?: () => void;
}) {
  const [inviting, setInviting] = useState(false);
  const [editing, setEditing] = useState(false);
  const [confirmingLeave, setConfirmingLeave] = useState(false);
  const [invited, setInvited] = useState<string[]>([]);
  const invite = useInvite();
  const leave = useLeaveRoom();
  const mute = useMuteRoom();
  const navigate = useNavigate();
  // Stable: the dialog puts the focus back where it was whenever its onClose changes.
  const { reset: resetLeave } = leave;
  const closeLeave = useCallback(() => {
    setConfirmingLeave(false);
    resetLeave();
  }, [resetLeave]);
  const closeSettings = useCallback(() => setEditing(false), []);
  const members = onToggleMembers && (
    <button type="button" aria-expanded={membersOpen ?? false} onClick={onToggleMembers}>
      Members
    </button>
  );
  if (!room.joined) return members ? <div className="row">{members}</div> : null;

  return (
    <div className="row">
      {members}
      <button
        type="button"
        aria-pressed={room.muted}
        title={room.muted ? 'Muted: no notifications; mentions still count' : 'No notifications from this room'}
        onClick={() => mute.mutate({ roomId: room.id, muted: !room.muted })}
      >
        Mute
      </button>
      {room.kind === 'private' && (
        <button type="button" onClick={() => setInviting(true)}>
          Invite
        </button>
      )}
      {canModerate(room) && (
        <button type="button" onClick={() => setEditing(true)}>
          Room settings
        </button>
      )}
      <button type="button" onClick={() => setConfirmingLeave(true)}>
        Leave room
      </button>
      {editing && canModerate(room) && <RoomSettingsDialog room={room} onClose={closeSettings} />}
      {confirmingLeave && (
        <LeaveRoomDialog
          room={room}
          pending={leave.isPending}
          error={leave.error?.message}
          onClose={closeLeave}
          onConfirm={() =>
            leave.mutate(room, {
              onSuccess: () => {
                setConfirmingLeave(false);
                void navigate('/');
              },
            })
          }
        />
      )}
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
            invite.mutate({ roomId: room.id, userId: user.id }, { onSuccess: () => setInvited((list) => [...list, shownName(user)]) })
          }
        />
      )}
    </div>
  );
}
