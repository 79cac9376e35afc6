import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignInPage } from '../src/features/auth/components/sign-in-page';
import { setup } from './support/render';

afterEach(() => vi.unstubAllGlobals());

/** Stands in for the auth routes: records what was sent, answers with `status` and `body`. */
function authServer(status: number, body: unknown) {
  const sent: Array<{ path: string; body: unknown }> = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({ path: String(input), body: JSON.parse(String(init?.body ?? 'null')) });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  return sent;
}

function renderPage() {
  const { wrapper } = setup();
  render(<SignInPage />, { wrapper });
  return {
    username: screen.getByRole('textbox', { name: 'Username' }),
    password: screen.getByRole('textbox', { name: 'Password' }),
  };
}

describe('SignInPage', () => {
  it('shows the rules up front, tied to their fields', () => {
    const { username, password } = renderPage();
    expect(username).toHaveAccessibleDescription('3 to 32 characters: letters a–z, digits 0–9, and _ . -');
    expect(password).toHaveAccessibleDescription('8 to 128 characters.');
    expect(username).not.toHaveAttribute('aria-invalid');
  });

  it('checks a new account before sending: each field says what is wrong with it, in words', async () => {
    const sent = authServer(201, {});
    const { username, password } = renderPage();
    await userEvent.type(username, 'al');
    await userEvent.type(password, 'short');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(sent).toEqual([]);
    expect(username).toHaveAttribute('aria-invalid', 'true');
    expect(username).toHaveAccessibleDescription(/^Too short: use at least 3 characters\./);
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(password).toHaveAccessibleDescription(/^Too short: use at least 8 characters\./);
    expect(username).toHaveFocus();
    // No schema text anywhere ("username: username must be…").
    expect(document.body.textContent).not.toMatch(/username:|password:|must be/);

    // Fixing a field clears its error; the other keeps its own.
    await userEvent.type(username, 'ice');
    expect(username).not.toHaveAttribute('aria-invalid');
    expect(password).toHaveAttribute('aria-invalid', 'true');
  });

  it('names the characters a username may not have', async () => {
    authServer(201, {});
    const { username, password } = renderPage();
    await userEvent.type(username, 'al ice!');
    await userEvent.type(password, 'a good long password');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(username).toHaveAccessibleDescription(/^Use only letters a–z, digits 0–9, and _ \. - \(not spaces, “!”\)\./);
    expect(password).not.toHaveAttribute('aria-invalid');
  });

  it('asks for both fields to sign in, without the sign-up rules', async () => {
    const sent = authServer(200, {});
    const { username, password } = renderPage();
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(sent).toEqual([]);
    expect(username).toHaveAccessibleDescription(/^Enter your username\./);
    expect(password).toHaveAccessibleDescription(/^Enter your password\./);

    // A short password may still be someone's old one: signing in sends it.
    await userEvent.type(username, 'al');
    await userEvent.type(password, 'short{Enter}');
    expect(sent).toEqual([{ path: '/api/auth/login', body: { username: 'al', password: 'short' } }]);
  });

  it('puts a taken username next to the username field', async () => {
    authServer(409, { error: { code: 'CONFLICT', message: 'username taken' } });
    const { username, password } = renderPage();
    await userEvent.type(username, 'alice');
    await userEvent.type(password, 'a good long password');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await vi.waitFor(() => expect(username).toHaveAttribute('aria-invalid', 'true'));
    expect(username).toHaveAccessibleDescription(/^That username is taken\. Try another\./);
    expect(username).toHaveFocus();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('maps a refusal of the fields to those fields, in its own words', async () => {
    authServer(400, { error: { code: 'INVALID', message: 'password: password must be 8 to 128 characters' } });
    const { username, password } = renderPage();
    await userEvent.type(username, 'alice');
    await userEvent.type(password, 'a good long password');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    await vi.waitFor(() => expect(password).toHaveAttribute('aria-invalid', 'true'));
    expect(password).toHaveAccessibleDescription(/^This password does not meet the rule above\./);
    expect(username).not.toHaveAttribute('aria-invalid');
    expect(document.body.textContent).not.toMatch(/must be/);
  });

  it('says a wrong password above the buttons, as an alert', async () => {
    authServer(401, { error: { code: 'UNAUTHORIZED', message: 'wrong credentials' } });
    const { username, password } = renderPage();
    await userEvent.type(username, 'alice');
    await userEvent.type(password, 'not the password{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
  });
});
