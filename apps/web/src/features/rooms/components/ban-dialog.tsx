import { ConfirmDialog } from '../../../lib/confirm-dialog';

/** Asks before banning; Cancel has the focus, so Enter or Escape change nothing. */
export function BanDialog({
  name,
  roomName,
  ...confirm
}: {
  name: string;
  roomName: string;
  pending: boolean;
  error: string | undefined;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <ConfirmDialog title={`Ban ${name}?`} confirm="Ban" {...confirm}>
      <p>
        {name} leaves {roomName} at once and cannot join it again until unbanned.
      </p>
    </ConfirmDialog>
  );
}
