import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { User } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import SettingsPage from '../src/features/account/components/settings-page';
import { usePeopleStore } from '../src/lib/people.store';
import { sharedKeys } from '../src/lib/query-keys';
import { ME } from './support/fixtures';
import { setup } from './support/render';

interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** Plays /api/me: `answer` says what each call gets back. */
function meServer(answer: (call: Call) => { status: number; body?: unknown }) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call = { method: init.method ?? 'GET', path: String(input), body: init.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    const { status, body } = answer(call);
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

const refused = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });

function renderSettings(me: User = ME) {
  const ctx = setup({ path: '/settings' });
  ctx.queryClient.setQueryData(sharedKeys.me, me);
  ctx.queryClient.setQueryData(sharedKeys.rooms, []);
  render(<SettingsPage me={me} />, { wrapper: ctx.wrapper });
  const section = (name: string) => screen.getByRole('region', { name });
  return { ...ctx, section };
}

beforeEach(() => usePeopleStore.getState().reset());
afterEach(() => vi.unstubAllGlobals());

describe('the account page', () => {
  it('saves a display name, shown at once as mine everywhere', async () => {
    const calls = meServer(({ body }) => ({ status: 200, body: { user: { ...ME, ...(body as object) } } }));
    const { section, queryClient } = renderSettings();
    const displayName = section('Display name');
    await userEvent.type(within(displayName).getByRole('textbox', { name: 'Display name' }), 'Me Myself');
    await userEvent.click(within(displayName).getByRole('button', { name: 'Save' }));
    expect(await within(displayName).findByRole('status')).toHaveTextContent('Saved. You are shown as Me Myself.');
    expect(calls).toEqual([{ method: 'PATCH', path: '/api/me', body: { displayName: 'Me Myself' } }]);
    expect(queryClient.getQueryData(sharedKeys.me)).toEqual({ ...ME, displayName: 'Me Myself' });
    expect(usePeopleStore.getState().byId[ME.id]?.displayName).toBe('Me Myself');
  });

  it('shows the server’s reason for a display name it refuses', async () => {
    meServer(() => refused(400, 'INVALID', 'displayName must contain a visible character, or be empty'));
    const { section, queryClient } = renderSettings();
    const displayName = section('Display name');
    await userEvent.type(within(displayName).getByRole('textbox', { name: 'Display name' }), '\u200b');
    await userEvent.click(within(displayName).getByRole('button', { name: 'Save' }));
    expect(await within(displayName).findByRole('alert')).toHaveTextContent('displayName must contain a visible character, or be empty');
    expect(within(displayName).getByRole('textbox', { name: 'Display name' })).toHaveAttribute('aria-invalid', 'true');
    expect(queryClient.getQueryData(sharedKeys.me)).toEqual(ME);
  });

  it('changes the password, saying the other sessions were signed out', async () => {
    const calls = meServer(({ body }) =>
      (body as { currentPassword: string }).currentPassword === 'right password'
        ? { status: 204 }
        : refused(403, 'FORBIDDEN', 'wrong password'),
    );
    const { section } = renderSettings();
    const password = section('Change password');
    const current = within(password).getByLabelText('Current password');
    const next = within(password).getByLabelText('New password');

    // Checked before sending: the protocol's rule, in words.
    await userEvent.type(current, 'wrong password');
    await userEvent.type(next, 'short');
    await userEvent.click(within(password).getByRole('button', { name: 'Change password' }));
    expect(within(password).getByRole('alert')).toHaveTextContent('Too short: use at least 8 characters.');
    expect(calls).toHaveLength(0);

    await userEvent.type(next, ' but longer');
    await userEvent.click(within(password).getByRole('button', { name: 'Change password' }));
    expect(await within(password).findByRole('alert')).toHaveTextContent('The current password is wrong.');

    await userEvent.clear(current);
    await userEvent.type(current, 'right password');
    await userEvent.click(within(password).getByRole('button', { name: 'Change password' }));
    expect(await within(password).findByRole('status')).toHaveTextContent('Password changed. Your other sessions were signed out.');
    expect(calls.at(-1)).toEqual({
      method: 'POST',
      path: '/api/me/password',
      body: { currentPassword: 'right password', newPassword: 'short but longer' },
    });
    expect(current).toHaveValue('');
    expect(next).toHaveValue('');
    expect(within(password).queryByRole('alert')).toBeNull();
  });

  it('deletes the account after the password in a dialog, then shows signed out', async () => {
    const calls = meServer(({ body }) =>
      (body as { password: string }).password === 'my password' ? { status: 204 } : refused(403, 'FORBIDDEN', 'wrong password'),
    );
    const { section, queryClient } = renderSettings();
    await userEvent.click(within(section('Delete account')).getByRole('button', { name: 'Delete account' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete account' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete account' });
    expect(confirm).toBeDisabled();
    expect(within(dialog).getByLabelText('Password')).toHaveFocus();

    await userEvent.type(within(dialog).getByLabelText('Password'), 'guess{Enter}');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('The password is wrong.');
    expect(queryClient.getQueryData(sharedKeys.me)).toEqual(ME);

    await userEvent.clear(within(dialog).getByLabelText('Password'));
    await userEvent.type(within(dialog).getByLabelText('Password'), 'my password');
    await userEvent.click(confirm);
    await waitFor(() => expect(queryClient.getQueryData(sharedKeys.me)).toBeNull());
    expect(calls.at(-1)).toEqual({ method: 'DELETE', path: '/api/me', body: { password: 'my password' } });
    // What was fetched as that user is gone with the session.
    expect(queryClient.getQueryData(sharedKeys.rooms)).toBeUndefined();
  });

  it('Cancel closes the dialog and deletes nothing', async () => {
    const calls = meServer(() => ({ status: 204 }));
    const { section } = renderSettings();
    await userEvent.click(within(section('Delete account')).getByRole('button', { name: 'Delete account' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Delete account' })).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls).toHaveLength(0);
  });
});
