import { useEffect, useRef } from 'react';
import { Dialog } from '../../../lib/dialog';

/** Asks before banning; Cancel has the focus, so Enter or Escape change nothing. */
export function BanDialog({
  name,
  roomName,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  name: string;
  roomName: string;
  pending: boolean;
  error: string | undefined;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  // Not autoFocus: that moves the focus before Dialog notes where it was, and it could not give it back.
  useEffect(() => cancel.current?.focus(), []);
  return (
    <Dialog title={`Ban ${name}?`} onClose={onClose}>
      <div className="stack">
        <p>
          {name} leaves {roomName} at once and cannot join it again until unbanned.
        </p>
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
            Ban
          </button>
        </div>
      </div>
    </Dialog>
  );
}
