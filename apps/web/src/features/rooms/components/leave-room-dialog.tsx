import { useEffect, useRef } from 'react';
import type { RoomSummary } from '@parley/protocol';
import { Dialog } from '../../../lib/dialog';

const CONSEQUENCE: Record<RoomSummary['kind'], string> = {
  public: 'You will stop getting its messages. You can join it again at any time.',
  private: 'It is private: you will need a new invitation to come back.',
  dm: 'The conversation leaves your list. You can start it again with New message.',
};

/** Asks before leaving a room; Cancel has the focus, so Enter or Escape keep you in. */
export function LeaveRoomDialog({
  room,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  room: Pick<RoomSummary, 'kind' | 'name'>;
  pending: boolean;
  error: string | undefined;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  // Not autoFocus: that moves the focus before Dialog notes where it was, and it could not give it back.
  useEffect(() => cancel.current?.focus(), []);
  const title = room.kind === 'dm' ? `Leave your conversation with ${room.name}?` : `Leave ${room.name}?`;
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="stack">
        <p>{CONSEQUENCE[room.kind]}</p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="row">
          <button ref={cancel} type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={pending} onClick={onConfirm}>
            Leave
          </button>
        </div>
      </div>
    </Dialog>
  );
}
