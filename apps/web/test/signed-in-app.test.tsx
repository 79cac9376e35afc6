import 'fake-indexeddb/auto';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useChatStore } from '../src/features/chat/chat.store';
import { useConnectionStore } from '../src/lib/connection.store';
import { sharedKeys } from '../src/lib/query-keys';
import { AppSocket } from './support/fake-socket';
import { ME, message, roomSummary } from './support/fixtures';
import { historyServer, setup } from './support/render';

const socket = new AppSocket();
vi.mock('../src/lib/socket', async (original) => ({
  ...(await original<typeof import('../src/lib/socket')>()),
  createSocket: () => socket,
}));
const { SignedInApp } = await import('../src/app/signed-in-app');

const general = roomSummary({ lastSeq: 1 });

beforeEach(() => {
  useChatStore.getState().reset();
  useConnectionStore.setState({ status: 'connecting', generation: 0 });
});
afterEach(() => vi.unstubAllGlobals());

function renderApp(path: string) {
  const { queryClient, wrapper } = setup({ path });
  queryClient.setQueryData(sharedKeys.rooms, [general]);
  vi.stubGlobal('fetch', historyServer([message(1)], [general]).fetchImpl);
  render(<SignedInApp me={ME} />, { wrapper });
}

describe('the signed-in pages', () => {
  it('home: a main landmark with the page heading, reached by a skip link, the first thing Tab reaches', async () => {
    renderApp('/');
    const main = screen.getByRole('main');
    expect(within(main).getByRole('heading', { level: 1, name: 'Welcome to Parley' })).toBeInTheDocument();

    await userEvent.tab();
    const skip = screen.getByRole('link', { name: 'Skip to main content' });
    expect(skip).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(main).toHaveFocus();
  });

  it('a room: Skip to messages puts the focus on the message log, past the room list', async () => {
    renderApp('/rooms/r_1');
    const log = await screen.findByRole('log', { name: 'Messages' });
    // From the top of the page (opening a room puts the focus in its composer).
    (document.activeElement as HTMLElement).blur();
    await userEvent.tab();
    expect(screen.getByRole('link', { name: 'Skip to messages' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(log).toHaveFocus();
    expect(window.location.hash).toBe('');
  });
});
