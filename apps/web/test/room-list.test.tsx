import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { RoomSummary } from '@parley/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { RoomList } from '../src/features/rooms/components/room-list';
import { useRoomEvents } from '../src/features/rooms/hooks/use-room-events';
import { useActiveRoomStore } from '../src/lib/active-room.store';
import { useConnectionStore } from '../src/lib/connection.store';
import { sharedKeys } from '../src/lib/query-keys';
import { BOB, ME, message, roomSummary } from './support/fixtures';
import { setup } from './support/render';

const CAROL = { id: 'u_carol', username: 'carol', displayName: '' };

const summary = (id: string, name: string, overrides: Partial<RoomSummary> = {}) => roomSummary({ id, name, ...overrides });
const said = (text: string, author: typeof ME, createdAt: string) => ({ text, author, createdAt, files: 0 });

beforeEach(() => {
  useActiveRoomStore.setState({ roomId: null, readingLive: false });
  // No (re)connection yet: the hooks do not refetch the list under the test's feet.
  useConnectionStore.setState({ status: 'connected', generation: 0 });
});

/** The room list with the room events glue, as the signed-in app mounts them. */
function renderList(rooms: RoomSummary[]) {
  const ctx = setup();
  ctx.queryClient.setQueryData(sharedKeys.rooms, rooms);
  function WithEvents() {
    useRoomEvents(ME);
    return <RoomList me={ME} />;
  }
  render(<WithEvents />, { wrapper: ctx.wrapper });
  const nav = screen.getByRole('navigation', { name: 'Rooms' });
  const section = (title: string) => within(nav).getByRole('heading', { name: title }).closest('section')!;
  const linkNames = (title: string) =>
    within(section(title))
      .queryAllByRole('link')
      .map((link) => link.textContent);
  return { ...ctx, nav, section, linkNames };
}

describe('RoomList', () => {
  it('orders each section by its newest message, rooms without one after them by name', () => {
    const { linkNames } = renderList([
      summary('r_quiet', 'quiet'),
      summary('r_old', 'old news', { lastMessage: said('first', BOB, '2026-11-20T10:00:00.000Z') }),
      summary('r_also', 'also quiet'),
      summary('r_new', 'fresh', { lastMessage: said('latest', BOB, '2026-11-23T10:00:00.000Z') }),
    ]);
    expect(linkNames('Rooms')).toEqual(['fresh', 'old news', 'also quiet', 'quiet']);
  });

  it('previews the newest message (mine as "You") with a short time, the link still named by the room alone', () => {
    const createdAt = new Date().toISOString();
    const { nav } = renderList([
      summary('r_1', 'general', { lastMessage: said('hello\nthere', BOB, createdAt) }),
      summary('dm:u_bob:u_me', 'bob', { kind: 'dm', lastMessage: said('see you', ME, createdAt) }),
    ]);
    const general = within(nav).getByRole('link', { name: 'general' });
    expect(general).toHaveTextContent(/^general$/);
    const item = general.closest('li')!;
    expect(within(item).getByText('bob: hello there')).toHaveClass('room-entry__preview');
    const time = item.querySelector('time')!;
    expect(time).toHaveAttribute('datetime', createdAt);
    expect(time.textContent).toBe(new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(new Date(createdAt)));
    expect(general).toHaveAccessibleDescription(`bob: hello there (${time.textContent})`);
    expect(within(nav).getByRole('link', { name: 'bob' })).toHaveAccessibleDescription(/^You: see you/);
  });

  it('cuts a long preview and keeps it to one line', () => {
    const { nav } = renderList([summary('r_1', 'general', { lastMessage: said('word '.repeat(400), BOB, new Date().toISOString()) })]);
    const preview = nav.querySelector('.room-entry__preview')!;
    expect([...preview.textContent!].length).toBeLessThan(160);
    expect(preview.textContent!.endsWith('…')).toBe(true);
  });

  it('moves a room to the top, with its new preview, when a message arrives in it', async () => {
    const { socket, linkNames, nav } = renderList([
      summary('r_busy', 'busy', { lastSeq: 1, lastMessage: said('earlier', BOB, '2026-11-23T10:00:00.000Z') }),
      summary('r_1', 'sleepy', { lastSeq: 3, lastMessage: said('zzz', BOB, '2026-11-20T10:00:00.000Z') }),
    ]);
    expect(linkNames('Rooms')).toEqual(['busy', 'sleepy']);
    act(() =>
      socket.serverEmit('message:created', { ...message(4, { author: CAROL, text: 'wake up' }), createdAt: new Date().toISOString() }),
    );
    await waitFor(() => expect(linkNames('Rooms')).toEqual(['sleepy', 'busy']));
    expect(within(nav).getByRole('link', { name: 'sleepy' })).toHaveAccessibleDescription(/^carol: wake up/);
    expect(within(nav).getByRole('img', { name: '1 unread message' })).toBeInTheDocument();
  });

  it('counts in words that agree with the number', () => {
    const { nav } = renderList([
      summary('r_1', 'one', { unread: 1 }),
      summary('r_2', 'many', { unread: 5 }),
      summary('r_3', 'lonely', { joined: false, memberCount: 1 }),
      summary('r_4', 'crowded', { joined: false, memberCount: 3 }),
    ]);
    expect(within(nav).getByRole('img', { name: '1 unread message' })).toHaveTextContent('1');
    expect(within(nav).getByRole('img', { name: '5 unread messages' })).toHaveTextContent('5');
    expect(within(nav).getByRole('link', { name: 'lonely' })).toHaveAccessibleDescription('1 member');
    expect(within(nav).getByRole('link', { name: 'crowded' })).toHaveAccessibleDescription('3 members');
  });

  it('marks private rooms with an SVG lock (no emoji), said in words', () => {
    const { nav } = renderList([summary('r_p', 'secret', { kind: 'private' })]);
    const link = within(nav).getByRole('link', { name: 'secret' });
    const icon = link.querySelector('svg')!;
    expect(icon).toHaveAttribute('aria-hidden', 'true');
    expect(link).toHaveAccessibleDescription('Private room');
    expect(nav.textContent).not.toMatch(/\p{Extended_Pictographic}/u);
  });

  it('shows a live invitation with its inviter', async () => {
    const { socket, section } = renderList([]);
    const { joined: _, unread: __, lastMessage: ___, invitedBy: ____, ...room } = summary('r_p', 'secret', { kind: 'private' });
    act(() => socket.serverEmit('room:invited', { room, by: CAROL }));
    await waitFor(() => expect(within(section('Invitations')).getByText('carol invited you')).toBeInTheDocument());
  });

  it('names who invited me', () => {
    const { section } = renderList([summary('r_p', 'secret', { kind: 'private', joined: false, invitedBy: BOB })]);
    const invitations = section('Invitations');
    expect(within(invitations).getByRole('link', { name: 'secret' })).toHaveAccessibleDescription('Private room. bob invited you');
    expect(within(invitations).getByText('bob invited you')).toBeVisible();
  });
});

describe('RoomList when empty', () => {
  it('offers to create a room or browse the public ones, and one New message button', async () => {
    const { nav, section } = renderList([summary('r_pub', 'lobby', { joined: false })]);
    expect(within(section('Rooms')).getByText(/You are not in any room yet/)).toBeInTheDocument();
    expect(within(section('Direct messages')).getByText(/No conversations yet/)).toBeInTheDocument();
    expect(within(nav).getAllByRole('button', { name: 'New message' })).toHaveLength(1);
    expect(within(section('Direct messages')).getByRole('button', { name: 'New message' })).toBeInTheDocument();

    await userEvent.click(within(section('Rooms')).getByRole('button', { name: 'Browse rooms' }));
    expect(within(nav).getByRole('heading', { name: 'Browse' })).toHaveFocus();

    await userEvent.click(within(section('Rooms')).getByRole('button', { name: 'Create a room' }));
    expect(screen.getByRole('dialog', { name: 'New room' })).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');

    await userEvent.click(within(section('Direct messages')).getByRole('button', { name: 'New message' }));
    expect(screen.getByRole('dialog', { name: 'New message' })).toBeInTheDocument();
  });

  it('does not offer to browse when there is nothing to browse', () => {
    const { section } = renderList([]);
    expect(within(section('Rooms')).getByText('You are not in any room yet. Create the first one.')).toBeInTheDocument();
    expect(within(section('Rooms')).queryByRole('button', { name: 'Browse rooms' })).toBeNull();
  });

  it('keeps New message in the toolbar once there are conversations', () => {
    const { nav, section } = renderList([summary('dm:u_bob:u_me', 'bob', { kind: 'dm' })]);
    expect(within(nav).getAllByRole('button', { name: 'New message' })).toHaveLength(1);
    expect(within(section('Direct messages')).queryByRole('button', { name: 'New message' })).toBeNull();
  });
});
