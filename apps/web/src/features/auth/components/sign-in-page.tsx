import { useId, useRef, useState, type FormEvent, type Ref } from 'react';
import { ApiError } from '../../../lib/api';
import { CREDENTIAL_RULES, passwordProblem, usernameProblem } from '../../../lib/credential-rules';
import { useAuthenticate } from '../api/auth.api';
import './sign-in-page.css';

type Mode = 'login' | 'register';
type Field = 'username' | 'password';
type FieldErrors = Partial<Record<Field, string>>;

/** Sign in, or create an account with the same two fields. The rules are shown before anyone breaks them. */
export function SignInPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const usernameInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const login = useAuthenticate('login');
  const register = useAuthenticate('register');
  const pending = login.isPending || register.isPending;

  const show = (found: FieldErrors, message: string | null = null) => {
    setErrors(found);
    setFormError(message);
    if (found.username) usernameInput.current?.focus();
    else if (found.password) passwordInput.current?.focus();
  };

  const submit = (mode: Mode, event?: FormEvent) => {
    event?.preventDefault();
    const credentials = { username: username.trim(), password };
    const found = checkCredentials(mode, credentials);
    if (found.username || found.password) return show(found);
    show({});
    (mode === 'login' ? login : register).mutate(credentials, { onError: (error) => show(...serverErrors(mode, error)) });
  };

  const edit = (field: Field, value: string) => {
    (field === 'username' ? setUsername : setPassword)(value);
    if (errors[field]) setErrors((all) => ({ ...all, [field]: undefined }));
  };

  return (
    <main className="sign-in">
      <form className="sign-in__card" onSubmit={(event) => submit('login', event)} aria-labelledby="sign-in-title" noValidate>
        <h1 id="sign-in-title" className="brand">
          Parley
        </h1>
        <p className="muted">Rooms that just work.</p>
        <TextField
          ref={usernameInput}
          label="Username"
          rule={CREDENTIAL_RULES.username}
          error={errors.username}
          value={username}
          onChange={(value) => edit('username', value)}
          autoComplete="username"
        />
        <TextField
          ref={passwordInput}
          label="Password"
          rule={CREDENTIAL_RULES.password}
          error={errors.password}
          value={password}
          onChange={(value) => edit('password', value)}
          autoComplete="current-password"
          password
        />
        {formError && (
          <p role="alert" className="error">
            {formError}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={pending}>
            Sign in
          </button>
          <button type="button" disabled={pending} onClick={() => submit('register')}>
            Create account
          </button>
        </div>
      </form>
    </main>
  );
}

function TextField({
  ref,
  label,
  rule,
  error,
  value,
  onChange,
  autoComplete,
  password = false,
}: {
  ref: Ref<HTMLInputElement>;
  label: string;
  rule: string;
  error: string | undefined;
  value: string;
  onChange: (value: string) => void;
  autoComplete: string;
  password?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={`${id}-input`}>{label}</label>
      <p id={`${id}-rule`} className="field__rule muted small">
        {rule}
      </p>
      <input
        ref={ref}
        id={`${id}-input`}
        name={label.toLowerCase()}
        type={password ? 'password' : 'text'}
        // Exposed as a textbox so assistive technology and UI tests find it by its label.
        role={password ? 'textbox' : undefined}
        autoComplete={autoComplete}
        autoCapitalize="none"
        spellCheck={false}
        required
        aria-invalid={error ? true : undefined}
        // The error first: it is what needs reading now; the rule says how to fix it.
        aria-describedby={error ? `${id}-error ${id}-rule` : `${id}-rule`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && (
        <p id={`${id}-error`} className="field__error error small">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * The protocol's rules, checked before sending. Signing in only needs both fields (a wrong username
 * gets the same answer as a wrong password).
 */
export function checkCredentials(mode: Mode, { username, password }: { username: string; password: string }): FieldErrors {
  const errors: FieldErrors = {};
  if (username === '') errors.username = mode === 'login' ? 'Enter your username.' : 'Choose a username.';
  else if (mode === 'register') errors.username = usernameProblem(username) ?? undefined;
  if (password === '') errors.password = mode === 'login' ? 'Enter your password.' : 'Choose a password.';
  else if (mode === 'register') errors.password = passwordProblem(password) ?? undefined;
  return errors;
}

/** A refusal from the server, put next to the field it concerns; the rest goes above the buttons. */
function serverErrors(mode: Mode, error: Error): [FieldErrors, string | null] {
  if (!(error instanceof ApiError)) return [{}, 'Something went wrong. Try again.'];
  switch (error.code) {
    case 'CONFLICT':
      return [{ username: 'That username is taken. Try another.' }, null];
    case 'UNAUTHORIZED':
      return [{}, 'Wrong username or password.'];
    case 'RATE_LIMITED':
      return [{}, 'Too many attempts. Wait a minute, then try again.'];
    case 'INVALID': {
      // "username: …; password: …": the fields named, in our words.
      const fields = new Set(error.message.split('; ').map((part) => part.split(':')[0]?.trim()));
      const found: FieldErrors = {};
      if (fields.has('username'))
        found.username = mode === 'register' ? 'This username does not meet the rule above.' : 'Check your username.';
      if (fields.has('password'))
        found.password = mode === 'register' ? 'This password does not meet the rule above.' : 'Check your password.';
      return found.username || found.password ? [found, null] : [{}, 'Parley could not read that. Try again.'];
    }
    case 'UNAVAILABLE':
      return [{}, error.message];
    default:
      return [{}, 'Something went wrong. Try again.'];
  }
}
