import { render, screen } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { ME } from './support/fixtures';

// The signed-in app's chunk cannot be fetched (offline, or a deploy removed it).
vi.mock('../src/app/lazy-signed-in-app', () => {
  throw new Error('Failed to fetch dynamically imported module');
});
const { App } = await import('../src/app/app');

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

it('says the app could not be loaded, with a way to reload, instead of a blank page', async () => {
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ user: ME }), { status: 200 }));
  // React reports the caught error on the console; this test is about what the person sees.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  render(<App />);
  expect(await screen.findByRole('alert')).toHaveTextContent('Parley could not be loaded.');
  expect(screen.getByRole('button', { name: 'Reload' })).toBeVisible();
});
