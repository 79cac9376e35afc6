import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { Dialog } from '../../../lib/dialog';

/** Asks before deleting a message for everyone; Cancel has the focus, so Enter or Escape keep it. */
export function DeleteMessageDialog({ mine, onConfirm, onClose }: { mine: boolean; onConfirm: () => void; onClose: () => void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  // Not autoFocus: that moves the focus before Dialog notes where it was, and it could not give it back.
  useEffect(() => cancel.current?.focus(), []);
  return createPortal(
    <Dialog title="Delete message" onClose={onClose}>
      <div className="stack">
        <p>
          {mine ? 'Delete this message' : 'Delete this message by someone else'} for everyone? Its text, earlier versions and reactions are
          gone for good.
        </p>
        <div className="row">
          <button ref={cancel} type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="danger" onClick={onConfirm}>
            Delete
          </button>
        </div>
      </div>
    </Dialog>,
    document.body,
  );
}
