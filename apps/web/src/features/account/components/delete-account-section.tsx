import { useId, useState, type FormEvent } from 'react';
import { Dialog } from '../../../lib/dialog';
import { useDeleteAccount } from '../api/account.api';
import { passwordRefusal } from './password-section';

/** Delete my account, after my password in a dialog; on success the sign-in page shows. */
export function DeleteAccountSection() {
  const headingId = useId();
  const [asking, setAsking] = useState(false);
  return (
    <section className="settings__section" aria-labelledby={headingId}>
      <h2 id={headingId}>Delete account</h2>
      <p className="muted small">
        You leave every room and are signed out everywhere. Your messages stay, shown as from Deleted user, and your username stays taken.
      </p>
      <div className="row">
        <button type="button" className="danger" onClick={() => setAsking(true)}>
          Delete account
        </button>
      </div>
      {asking && <DeleteAccountDialog onClose={() => setAsking(false)} />}
    </section>
  );
}

function DeleteAccountDialog({ onClose }: { onClose: () => void }) {
  const [password, setPassword] = useState('');
  const remove = useDeleteAccount();
  const hintId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== '') remove.mutate(password);
  };
  // Rendered in its section (not portalled to the body), where its header is no second banner landmark.
  return (
    <Dialog title="Delete account" onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <p id={hintId}>This cannot be undone. Enter your password to delete your account.</p>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-describedby={hintId}
          />
        </label>
        {remove.isError && (
          <p role="alert" className="error small">
            {passwordRefusal(remove.error, 'password')}
          </p>
        )}
        <div className="row">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={remove.isPending || password === ''}>
            Delete account
          </button>
        </div>
      </form>
    </Dialog>
  );
}
