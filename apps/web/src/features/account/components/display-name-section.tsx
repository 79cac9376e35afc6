import { useId, useState, type FormEvent } from 'react';
import type { User } from '@parley/protocol';
import { shownName } from '../../../lib/person';
import { useUpdateProfile } from '../api/account.api';

/** My display name: shown instead of my username wherever I appear; empty shows the username. */
export function DisplayNameSection({ me }: { me: User }) {
  const headingId = useId();
  const hintId = useId();
  const [value, setValue] = useState(me.displayName);
  const update = useUpdateProfile();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(value);
  };

  return (
    <section className="settings__section" aria-labelledby={headingId}>
      <h2 id={headingId}>Display name</h2>
      <form className="stack" onSubmit={submit}>
        <label>
          Display name
          <input
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              update.reset();
            }}
            autoComplete="nickname"
            aria-describedby={hintId}
            aria-invalid={update.isError || undefined}
          />
        </label>
        <p id={hintId} className="muted small">
          Shown instead of your username, @{me.username}, up to 64 characters. Leave it empty to show your username.
        </p>
        {update.isError && (
          <p role="alert" className="error small">
            {update.error.message}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={update.isPending}>
            Save
          </button>
          <p role="status" className="small settings__status">
            {update.isSuccess ? `Saved. You are shown as ${shownName(update.data.user)}.` : ''}
          </p>
        </div>
      </form>
    </section>
  );
}
