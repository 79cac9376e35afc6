import type { RoomSummary } from '@parley/protocol';
import { ConfirmDialog } from '../../../lib/confirm-dialog';

const CONSEQUENCE: Record<RoomSummary['kind'], string> = {
  public: 'You will stop getting its messages. You can join it again at any time.',
  private: 'It is private: you will need a new invitation to come back.',
  dm: 'The conversation leaves your list. You can start it again with New message.',
};

/** Asks before leaving a room; Cancel has the focus, so Enter or Escape keep you in. */
export function LeaveRoomDialog({
  room,
  ...confirm
}: {
  room: Pick<RoomSummary, 'kind' | 'name'>;
  pending: boolean;
  error: string | undefined;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const title = room.kind === 'dm' ? `Leave your conversation with ${room.name}?` : `Leave ${room.name}?`;
  return (
    <ConfirmDialog title={title} confirm="Leave" {...confirm}>
      <p>{CONSEQUENCE[room.kind]}</p>
    </ConfirmDialog>
  );
}
