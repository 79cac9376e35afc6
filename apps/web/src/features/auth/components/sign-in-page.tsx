import { useState, type FormEvent } from 'react';
import { ApiError } from '../../../lib/api';
import { useAuthenticate } from '../api/auth.api';

/** Sign in, or create an account with the same two fields. */
export function SignInPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useAuthenticate('login');
  const register = useAuthenticate('register');
  const pending = login.isPending || register.isPending;
  const error = login.error ?? register.error;

  const submit = (mode: 'login' | 'register') => (event?: FormEvent) => {
    event?.preventDefault();
    (mode === 'login' ? register : login).reset();
    (mode === 'login' ? login : register).mutate({ username: username.trim(), password });
  };

  return (
    <main className="sign-in">
      <form className="sign-in__card" onSubmit={submit('login')} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title" className="brand">
          Parley
        </h1>
        <p className="muted">Rooms that just work.</p>
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            // Exposed as a textbox so assistive technology and UI tests find it by its label.
            role="textbox"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p role="alert" className="error">
            {describe(error)}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={pending}>
            Sign in
          </button>
          <button type="button" disabled={pending} onClick={() => submit('register')()}>
            Create account
          </button>
        </div>
      </form>
    </main>
  );
}

function describe(error: Error): string {
  if (error instanceof ApiError) {
    if (error.code === 'UNAUTHORIZED') return 'Wrong username or password.';
    if (error.code === 'CONFLICT') return 'That username is taken.';
    return error.message;
  }
  return 'Something went wrong. Try again.';
}
