import { useEffect, useRef, type ReactNode } from 'react';
import { Dialog } from './dialog';

/**
 * Asks before something that cannot simply be undone (leaving a room, banning someone). Cancel has
 * the focus, so Enter or Escape change nothing; the server's refusal shows as an alert.
 */
export function ConfirmDialog({
  title,
  confirm,
  children,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  title: string;
  /** The confirming button's label. */
  confirm: string;
  children: ReactNode;
  pending: boolean;
  error: string | undefined;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  // Not autoFocus: that moves the focus before Dialog notes where it was, and it could not give it back.
  useEffect(() => cancel.current?.focus(), []);
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="stack">
        {children}
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
            {confirm}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
