import 'fake-indexeddb/auto';
import { act, render, screen, within } from '@testing-library/react';
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

beforeEach(() => {
  useChatStore.getState().reset();
  useConnectionStore.setState({ status: 'connecting', generation: 0 });
  socket.requests.length = 0;
});
afterEach(() => vi.unstubAllGlobals());

function renderApp(path: string, rooms: ReturnType<typeof roomSummary>[]) {
  const { queryClient, wrapper } = setup({ path });
  queryClient.setQueryData(sharedKeys.rooms, rooms);
  vi.stubGlobal('fetch', historyServer([message(1)], rooms).fetchImpl);
  render(<SignedInApp me={ME} />, { wrapper });
  return { queryClient };
}

const section = (title: string) =>
  within(screen.getByRole('navigation', { name: 'Rooms' }))
    .getByRole('heading', { name: title })
    .closest('section')!;

describe('removed or banned from the room I am reading', () => {
  it('a public room: the view goes home saying so, the room moves to Browse, and joining again shows the refusal', async () => {
    renderApp('/rooms/r_1', [roomSummary({ lastSeq: 1 })]);
    await screen.findByRole('log', { name: 'Messages' });
    expect(within(section('Rooms')).getByRole('link', { name: /general/ })).toBeInTheDocument();

    act(() => socket.serverEmit('room:left', { roomId: 'r_1' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome to Parley' })).toBeInTheDocument();
    expect(within(screen.getByRole('main')).getByRole('status')).toHaveTextContent('You are no longer a member of general.');
    expect(screen.queryByRole('log', { name: 'Messages' })).toBeNull();
    expect(within(section('Rooms')).queryByRole('link', { name: /general/ })).toBeNull();
    expect(within(section('Browse')).getByRole('link', { name: /general/ })).toBeInTheDocument();

    socket.respond('room:join', () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'You are banned from this room.' } }));
    await userEvent.click(within(section('Browse')).getByRole('link', { name: /general/ }));
    await userEvent.click(await screen.findByRole('button', { name: 'Join' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('You are banned from this room.');
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull();
  });

  it('a private room: it leaves the list and the view goes home', async () => {
    renderApp('/rooms/r_p', [roomSummary({ id: 'r_p', kind: 'private', name: 'secret', lastSeq: 1 })]);
    await screen.findByRole('log', { name: 'Messages' });
    act(() => socket.serverEmit('room:left', { roomId: 'r_p' }));
    expect(await within(screen.getByRole('main')).findByRole('status')).toHaveTextContent('You are no longer a member of secret.');
    expect(within(screen.getByRole('navigation', { name: 'Rooms' })).queryByRole('link', { name: /secret/ })).toBeNull();
  });

  it('another room I leave does not move me', async () => {
    renderApp('/rooms/r_1', [roomSummary({ lastSeq: 1 }), roomSummary({ id: 'r_2', name: 'random' })]);
    await screen.findByRole('log', { name: 'Messages' });
    act(() => socket.serverEmit('room:left', { roomId: 'r_2' }));
    await screen.findByRole('heading', { name: 'Browse' });
    expect(within(section('Browse')).getByRole('link', { name: /random/ })).toBeInTheDocument();
    expect(screen.getByRole('log', { name: 'Messages' })).toBeInTheDocument();
  });
});
