import 'fake-indexeddb/auto';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppSocket } from './support/fake-socket';
import { ME } from './support/fixtures';

vi.mock('../src/lib/socket', async (original) => ({
  ...(await original<typeof import('../src/lib/socket')>()),
  createSocket: () => new AppSocket(),
}));
const { App } = await import('../src/app/app');
// Transformed once here, so React.lazy's import() resolves from the module cache in the tests below
// instead of waiting on vitest to transform the whole signed-in app.
await import('../src/app/lazy-signed-in-app');

/** Plays the HTTP API: who is signed in (null: nobody), and the calls the app made. */
function apiServer(signedIn: typeof ME | null) {
  const calls: string[] = [];
  let user = signedIn;
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const { pathname } = new URL(String(input), 'http://parley.test');
    calls.push(`${init?.method ?? 'GET'} ${pathname}`);
    const json = (body: unknown, status = 200) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (pathname === '/api/auth/session') return json({ user });
    if (pathname === '/api/auth/login') {
      user = ME;
      return json({ user: ME, token: 't' });
    }
    if (pathname === '/api/rooms') return json({ rooms: [] });
    return json({ error: { code: 'NOT_FOUND', message: 'no such route' } }, 404);
  };
  return { calls, fetchImpl };
}

beforeEach(() => localStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe('the app gate', () => {
  it('asks /api/auth/session who is signed in (never /api/me, whose 401 logs an error) and shows the sign-in page', async () => {
    const api = apiServer(null);
    vi.stubGlobal('fetch', api.fetchImpl);
    render(<App />);
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeVisible();
    expect(api.calls).toEqual(['GET /api/auth/session']);
    expect(localStorage.getItem('parley:signed-in')).toBeNull();
  });

  it('loads the signed-in app, its own chunk, for someone signed in, and remembers it for next time', async () => {
    const api = apiServer(ME);
    vi.stubGlobal('fetch', api.fetchImpl);
    render(<App />);
    expect(await screen.findByText(ME.username)).toBeVisible();
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeVisible();
    expect(api.calls).not.toContain('GET /api/me');
    expect(localStorage.getItem('parley:signed-in')).toBe('1');
  });

  it('goes from the sign-in page to the app when someone signs in', async () => {
    const api = apiServer(null);
    vi.stubGlobal('fetch', api.fetchImpl);
    localStorage.setItem('parley:signed-in', '1');
    render(<App />);
    const user = userEvent.setup();
    await user.type(await screen.findByRole('textbox', { name: 'Username' }), ME.username);
    await user.type(screen.getByRole('textbox', { name: 'Password' }), 'a good long password');
    // Signed out now: the hint of last time is forgotten.
    expect(localStorage.getItem('parley:signed-in')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('button', { name: 'Sign out' })).toBeVisible();
    expect(api.calls).toContain('POST /api/auth/login');
  });
});
