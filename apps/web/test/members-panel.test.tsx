import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useChatStore } from '../src/features/chat/chat.store';
import { useConnectionStore } from '../src/lib/connection.store';
import { ME, message, roomSummary } from './support/fixtures';
import { serveHistory } from './thread-support';
import { buttonsOf, member, openMembers, person, renderRoom, row } from './support/members-support';

const alice = person('alice', 'Alice Liddell');
const bob = person('bob');
const carol = person('carol');
const me = { ...ME, displayName: '' };

beforeEach(() => {
  useChatStore.getState().reset();
  useConnectionStore.setState({ status: 'connected', generation: 1 });
});
afterEach(() => vi.unstubAllGlobals());

describe('the Members panel', () => {
  const members = [member(alice, 'owner', true), member(bob, 'admin'), member(carol), member(me, 'member', true)];

  it('opens beside the room from the header: each member with avatar, name, username, role badge and presence', async () => {
    renderRoom(roomSummary({ memberCount: 4 }), members);
    const toggle = await screen.findByRole('button', { name: 'Members' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    const panel = await openMembers();
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(within(panel).getByRole('heading', { name: 'Members' })).toBeInTheDocument();
    expect(panel).toHaveTextContent('4 members');
    // The room stays beside it.
    expect(screen.getByRole('log', { name: 'Messages' })).toBeInTheDocument();

    const items = within(panel).getAllByRole('listitem');
    expect(items.map((item) => item.querySelector('.member__name')!.textContent)).toEqual(['Alice Liddell', 'bob', 'carol', 'me']);
    // A display name is shown with the username beside it; roles as badges, members plain.
    expect(items[0]).toHaveTextContent('Alice Liddell' + 'alice' + 'Owner');
    expect(items[1]).toHaveTextContent('bob' + 'Admin');
    expect(items[2]!.querySelector('.role-badge')).toBeNull();
    expect(items[3]).toHaveTextContent('(you)');
    expect(items[0]!.querySelector('.avatar')).toHaveTextContent('AL');
    expect(within(items[0]!).getByRole('img', { name: 'online' })).toBeInTheDocument();
    expect(within(items[1]!).getByRole('img', { name: 'offline' })).toBeInTheDocument();

    await userEvent.click(within(panel).getByRole('button', { name: 'Close members' }));
    expect(screen.queryByRole('complementary', { name: 'Members' })).toBeNull();
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
  });

  it('offers a member no actions on anyone', async () => {
    renderRoom(roomSummary({ role: 'member' }), members);
    const panel = await openMembers();
    expect(within(panel).queryAllByRole('group')).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Room settings' })).toBeNull();
  });

  it('offers the owner Make admin / Remove admin, Remove and Ban on everyone but themselves', async () => {
    const owned = [member(me, 'owner', true), member(bob, 'admin'), member(carol)];
    renderRoom(roomSummary({ role: 'owner' }), owned);
    const panel = await openMembers();
    expect(buttonsOf(row(panel, 'me'))).toEqual([]);
    expect(buttonsOf(row(panel, 'bob'))).toEqual(['Remove admin', 'Remove', 'Ban']);
    expect(buttonsOf(row(panel, 'carol'))).toEqual(['Make admin', 'Remove', 'Ban']);
    expect(within(row(panel, 'carol')).getByRole('group', { name: 'Manage carol' })).toBeInTheDocument();
  });

  it('offers an admin Remove and Ban on members only: never the owner, another admin or themselves', async () => {
    renderRoom(roomSummary({ role: 'admin' }), [member(alice, 'owner'), member(bob, 'admin'), member(carol), member(me, 'admin')]);
    const panel = await openMembers();
    expect(buttonsOf(row(panel, 'Alice Liddell'))).toEqual([]);
    expect(buttonsOf(row(panel, 'bob'))).toEqual([]);
    expect(buttonsOf(row(panel, 'carol'))).toEqual(['Remove', 'Ban']);
    expect(buttonsOf(row(panel, 'me'))).toEqual([]);
  });

  it('offers no actions in a DM, nor to someone only reading a public room', async () => {
    renderRoom(roomSummary({ kind: 'dm', id: 'dm:u_bob:u_me', name: 'bob', role: 'member' }), [member(bob), member(me)]);
    const panel = await openMembers();
    expect(within(panel).queryAllByRole('group')).toEqual([]);
  });

  it('shows to someone reading a public room who is in it, without actions', async () => {
    renderRoom(roomSummary({ joined: false, role: null }), [member(alice, 'owner'), member(carol)]);
    const panel = await openMembers();
    expect(within(panel).getAllByRole('listitem')).toHaveLength(2);
    expect(within(panel).queryAllByRole('group')).toEqual([]);
  });

  it('pages by username, 100 at a time, with Load more until a page comes back short', async () => {
    const many = Array.from({ length: 150 }, (_, i) => member(person(`user${String(i).padStart(3, '0')}`)));
    const { requests } = renderRoom(roomSummary({ memberCount: 150 }), many);
    const panel = await openMembers();
    expect(within(panel).getAllByRole('listitem')).toHaveLength(100);
    expect(requests('room:members')).toEqual([{ roomId: 'r_1', limit: 100 }]);
    await userEvent.click(within(panel).getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(within(panel).getAllByRole('listitem')).toHaveLength(150));
    expect(requests('room:members')[1]).toEqual({ roomId: 'r_1', limit: 100, after: 'user099' });
    expect(within(panel).queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('stays live: joins in username order, departures, roles, presence and display names', async () => {
    const { socket } = renderRoom(roomSummary(), [member(alice, 'owner'), member(carol)]);
    const panel = await openMembers();
    const names = () =>
      within(panel)
        .getAllByRole('listitem')
        .map((item) => item.querySelector('.member__name')!.textContent);

    act(() => socket.serverEmit('room:member-joined', { roomId: 'r_1', user: bob }));
    await waitFor(() => expect(names()).toEqual(['Alice Liddell', 'bob', 'carol']));
    await waitFor(() => expect(within(row(panel, 'bob')).getByRole('img', { name: 'online' })).toBeInTheDocument());
    // Another room's events are not this room's.
    act(() => socket.serverEmit('room:member-joined', { roomId: 'r_2', user: person('dave') }));
    await waitFor(() => expect(names()).toEqual(['Alice Liddell', 'bob', 'carol']));

    act(() => socket.serverEmit('room:member-role', { roomId: 'r_1', userId: bob.id, role: 'admin' }));
    await waitFor(() => expect(row(panel, 'bob')).toHaveTextContent('Admin'));
    act(() => socket.serverEmit('presence:changed', { userId: carol.id, online: true }));
    await waitFor(() => expect(within(row(panel, 'carol')).getByRole('img', { name: 'online' })).toBeInTheDocument());
    act(() => socket.serverEmit('user:updated', { user: { ...carol, displayName: 'Carol C.' } }));
    await waitFor(() => expect(names()).toEqual(['Alice Liddell', 'bob', 'Carol C.']));
    await waitFor(() => expect(row(panel, 'Carol C.')).toHaveTextContent('carol'));

    act(() => socket.serverEmit('room:member-left', { roomId: 'r_1', userId: bob.id }));
    await waitFor(() => expect(names()).toEqual(['Alice Liddell', 'Carol C.']));
  });

  it('gives me the actions the moment I am made admin, and takes them away when I am not', async () => {
    const { socket, roomList } = renderRoom(roomSummary({ role: 'member' }), [member(alice, 'owner'), member(carol), member(me)]);
    const panel = await openMembers();
    await waitFor(() => expect(buttonsOf(row(panel, 'carol'))).toEqual([]));
    act(() => socket.serverEmit('room:member-role', { roomId: 'r_1', userId: ME.id, role: 'admin' }));
    expect(roomList()[0]!.role).toBe('admin');
    await waitFor(() => expect(buttonsOf(row(panel, 'carol'))).toEqual(['Remove', 'Ban']));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Room settings' })).toBeInTheDocument());
    act(() => socket.serverEmit('room:member-role', { roomId: 'r_1', userId: ME.id, role: 'member' }));
    await waitFor(() => expect(buttonsOf(row(panel, 'carol'))).toEqual([]));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Room settings' })).toBeNull());
  });

  it('fetches the members again after a reconnection (events were missed)', async () => {
    const { requests } = renderRoom(roomSummary(), [member(alice, 'owner')]);
    await openMembers();
    expect(requests('room:members')).toHaveLength(1);
    act(() => useConnectionStore.getState().connected());
    await waitFor(() => expect(requests('room:members')).toHaveLength(2));
  });

  it('closes when a thread opens, and closes the thread when opened', async () => {
    const { socket } = renderRoom(roomSummary({ lastSeq: 1, lastRev: 1 }), [member(alice, 'owner')], { messages: [message(1)] });
    serveHistory(socket, { replies: [], topLevel: [message(1)] });
    await openMembers();
    const article = await screen.findByRole('article');
    await userEvent.click(within(article).getByRole('button', { name: 'Reply in thread' }));
    expect(await screen.findByRole('complementary', { name: 'Thread' })).toBeInTheDocument();
    expect(screen.queryByRole('complementary', { name: 'Members' })).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Members' }));
    expect(screen.getByRole('complementary', { name: 'Members' })).toBeInTheDocument();
    expect(screen.queryByRole('complementary', { name: 'Thread' })).toBeNull();
  });
});
