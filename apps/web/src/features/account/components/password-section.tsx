import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../../lib/api';
import { CREDENTIAL_RULES, passwordProblem } from '../../../lib/credential-rules';
import { useChangePassword } from '../api/account.api';

/** What a refusal of `password` (the one typed to prove it is me) means, in words to act on. */
export function passwordRefusal(error: Error, password = 'current password'): string {
  if (error instanceof ApiError && error.code === 'FORBIDDEN') return `The ${password} is wrong.`;
  return error.message;
}

/** Change my password: this session stays, every other one of mine is signed out. */
export function PasswordSection() {
  const headingId = useId();
  const ruleId = useId();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const change = useChangePassword();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = currentPassword === '' ? 'Enter your current password.' : passwordProblem(newPassword);
    setProblem(found);
    if (found) return;
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrent('');
          setNew('');
        },
      },
    );
  };
  const error = problem ?? (change.isError ? passwordRefusal(change.error) : null);

  return (
    <section className="settings__section" aria-labelledby={headingId}>
      <h2 id={headingId}>Change password</h2>
      <form className="stack" onSubmit={submit} noValidate>
        <label>
          Current password
          <input type="password" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} />
        </label>
        <label>
          New password
          <input
            type="password"
            autoComplete="new-password"
            value={newPassword}
            onChange={(e) => setNew(e.target.value)}
            aria-describedby={ruleId}
          />
        </label>
        <p id={ruleId} className="muted small">
          {CREDENTIAL_RULES.password} Your other sessions will be signed out.
        </p>
        {error && (
          <p role="alert" className="error small">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={change.isPending}>
            Change password
          </button>
          <p role="status" className="small settings__status">
            {change.isSuccess && !error ? 'Password changed. Your other sessions were signed out.' : ''}
          </p>
        </div>
      </form>
    </section>
  );
}
