import type { ReactNode } from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import type { RoomSummary } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RoomRoute } from '../src/app/room-route';
import { useChatStore } from '../src/features/chat/chat.store';
import { RoomActions } from '../src/features/rooms/components/room-actions';
import { sharedKeys } from '../src/lib/query-keys';
import { BOB, ME, roomSummary } from './support/fixtures';
import { historyServer, setup } from './support/render';

beforeEach(() => useChatStore.getState().reset());
afterEach(() => vi.unstubAllGlobals());

/** `element` at /rooms/r_1, with a home page to come back to. */
function renderRoomPage(element: ReactNode, rooms: RoomSummary[]) {
  const ctx = setup({ path: '/rooms/r_1' });
  ctx.queryClient.setQueryData(sharedKeys.rooms, rooms);
  vi.stubGlobal('fetch', historyServer([], rooms).fetchImpl);
  render(
    <Routes>
      <Route path="/" element={<h1>Home</h1>} />
      <Route path="/rooms/:roomId" element={element} />
    </Routes>,
    { wrapper: ctx.wrapper },
  );
  const requests = (event: string) => ctx.socket.requests.filter((r) => r.event === event).map((r) => r.payload);
  const rooms$ = () => ctx.queryClient.getQueryData<RoomSummary[]>(sharedKeys.rooms)!;
  return { ...ctx, requests, rooms: rooms$ };
}

describe('Leaving a room', () => {
  it('asks first: Cancel (which has the focus) keeps me in, Leave leaves and goes home', async () => {
    const room = roomSummary();
    const { requests, rooms } = renderRoomPage(<RoomActions room={room} meId={ME.id} />, [room]);
    const leave = screen.getByRole('button', { name: 'Leave room' });
    await userEvent.click(leave);

    const dialog = screen.getByRole('dialog', { name: 'Leave general?' });
    expect(dialog).toHaveTextContent('You can join it again at any time.');
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    expect(requests('room:leave')).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(leave).toHaveFocus();
    expect(requests('room:leave')).toEqual([]);

    await userEvent.click(leave);
    await userEvent.click(screen.getByRole('button', { name: 'Leave' }));
    expect(await screen.findByRole('heading', { name: 'Home' })).toBeInTheDocument();
    expect(requests('room:leave')).toEqual([{ roomId: 'r_1' }]);
    expect(rooms()[0]).toMatchObject({ joined: false });
  });

  it('says why, and stays open, when leaving fails', async () => {
    const room = roomSummary({ kind: 'private', name: 'secret' });
    const { socket } = renderRoomPage(<RoomActions room={room} meId={ME.id} />, [room]);
    socket.respond('room:leave', () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'Parley is not storing right now.' } }));
    await userEvent.click(screen.getByRole('button', { name: 'Leave room' }));
    const dialog = screen.getByRole('dialog', { name: 'Leave secret?' });
    expect(dialog).toHaveTextContent('you will need a new invitation to come back');
    await userEvent.click(screen.getByRole('button', { name: 'Leave' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Parley is not storing right now.');
    expect(screen.getByRole('dialog', { name: 'Leave secret?' })).toBeInTheDocument();
  });
});

describe('An invitation', () => {
  const invited = roomSummary({ kind: 'private', name: 'secret', joined: false, invitedBy: BOB });

  it('names who invited me and offers Join and Decline', () => {
    renderRoomPage(<RoomRoute me={ME} />, [invited]);
    expect(screen.getByRole('heading', { level: 1, name: 'You are invited to secret' })).toBeInTheDocument();
    expect(screen.getByText(/invited you/)).toHaveTextContent('bob invited you.');
    expect(screen.getByRole('button', { name: 'Join' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Decline' })).toBeInTheDocument();
  });

  it('declined: leaves the room (which withdraws the invitation), drops it from my list and goes home', async () => {
    const { requests, rooms } = renderRoomPage(<RoomRoute me={ME} />, [invited]);
    await userEvent.click(screen.getByRole('button', { name: 'Decline' }));
    expect(await screen.findByRole('heading', { name: 'Home' })).toBeInTheDocument();
    expect(requests('room:leave')).toEqual([{ roomId: 'r_1' }]);
    expect(rooms()).toEqual([]);
  });

  it('joined: joins the room', async () => {
    const { socket, requests, rooms } = renderRoomPage(<RoomRoute me={ME} />, [invited]);
    const { joined: _, unread: __, lastMessage: ___, invitedBy: ____, ...room } = { ...invited, memberCount: 3 };
    socket.respond('room:join', () => ({ ok: true, data: { room } }));
    await userEvent.click(screen.getByRole('button', { name: 'Join' }));
    await waitFor(() => expect(rooms()[0]).toMatchObject({ joined: true, memberCount: 3 }));
    expect(requests('room:join')).toEqual([{ roomId: 'r_1' }]);
  });

  it('without a known inviter still says what Join does', () => {
    renderRoomPage(<RoomRoute me={ME} />, [{ ...invited, invitedBy: null }]);
    expect(screen.getByText('Join to read and write in this private room.')).toBeInTheDocument();
  });
});

describe('An empty room', () => {
  it('says so and puts the focus in the composer', async () => {
    renderRoomPage(<RoomRoute me={ME} />, [roomSummary()]);
    expect(await screen.findByText('No messages yet. Say hello!')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveFocus();
  });
});

describe('Inviting to a private room', () => {
  it('names each person invited as they are shown: the display name, else the username', async () => {
    const room = roomSummary({ kind: 'private', name: 'secret', role: 'owner' });
    const { requests } = renderRoomPage(<RoomActions room={room} meId={ME.id} />, [room]);
    const people = [
      { id: 'u_bob', username: 'bob', displayName: 'Bob Marley' },
      { id: 'u_bea', username: 'bea', displayName: '' },
    ];
    vi.stubGlobal(
      'fetch',
      async () => new Response(JSON.stringify({ users: people }), { status: 200, headers: { 'content-type': 'application/json' } }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Invite' }));
    const dialog = screen.getByRole('dialog', { name: 'Invite to secret' });
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Find people' }), 'b');
    await userEvent.click(await within(dialog).findByRole('button', { name: 'Bob Marley @bob' }));
    expect(await within(dialog).findByRole('status')).toHaveTextContent('Invited Bob Marley');
    await userEvent.click(within(dialog).getByRole('button', { name: 'bea' }));
    await waitFor(() => expect(within(dialog).getByRole('status')).toHaveTextContent('Invited Bob Marley, bea'));
    expect(requests('room:invite')).toEqual([
      { roomId: 'r_1', userId: 'u_bob' },
      { roomId: 'r_1', userId: 'u_bea' },
    ]);
  });
});
