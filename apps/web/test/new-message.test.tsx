import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { RoomSummary, User } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_OTHERS } from '../src/features/rooms/components/new-message-dialog';
import { RoomList } from '../src/features/rooms/components/room-list';
import { sharedKeys } from '../src/lib/query-keys';
import { ME, roomSummary } from './support/fixtures';
import { setup } from './support/render';

const person = (username: string, displayName = ''): User => ({ id: `u_${username}`, username, displayName });
const PEOPLE = [person('bob', 'Bob Marley'), person('carol'), person('cara'), ...'defghijk'.split('').map((c) => person(`${c}${c}${c}`))];

/** GET /api/users?q=: the people whose username starts with q (me included, as the server answers). */
function usersServer() {
  vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
    const q = new URL(String(input), 'http://parley.test').searchParams.get('q') ?? '';
    const users = [ME, ...PEOPLE].filter((u) => u.username.startsWith(q));
    return new Response(JSON.stringify({ users }), { status: 200, headers: { 'content-type': 'application/json' } });
  });
}

function renderList(rooms: RoomSummary[] = []) {
  const ctx = setup();
  ctx.queryClient.setQueryData(sharedKeys.rooms, rooms);
  render(<RoomList me={ME} />, { wrapper: ctx.wrapper });
  ctx.socket.respond('dm:open', (payload) => {
    const ids = 'userId' in payload ? [payload.userId] : payload.userIds;
    const id = `dm:${[ME.id, ...ids].sort().join(':')}`;
    return { ok: true, data: { room: { id, kind: 'dm', name: 'them', memberCount: ids.length + 1, lastSeq: 0, lastRev: 0, topic: '' } } };
  });
  return ctx;
}

async function openDialog() {
  await userEvent.click(screen.getAllByRole('button', { name: 'New message' })[0]!);
  const dialog = screen.getByRole('dialog', { name: 'New message' });
  return { dialog, search: within(dialog).getByRole('textbox', { name: 'Find people' }) };
}

beforeEach(usersServer);
afterEach(() => vi.unstubAllGlobals());

describe('New message', () => {
  it('opens a DM with one person picked: a click, then Open', async () => {
    const { socket } = renderList();
    const { dialog, search } = await openDialog();
    await userEvent.type(search, 'bo');
    // A display name shows with the username it stands for.
    await userEvent.click(await within(dialog).findByRole('button', { name: 'Bob Marley @bob' }));
    expect(within(within(dialog).getByRole('list', { name: 'To' })).getByText('Bob Marley')).toBeInTheDocument();
    expect(search).toHaveValue('');
    expect(search).toHaveFocus();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Open' }));
    expect(socket.requests.find((r) => r.event === 'dm:open')?.payload).toEqual({ userId: 'u_bob' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('opens a group DM with several, from the keyboard alone; a chip can be removed', async () => {
    const { socket } = renderList();
    const { dialog, search } = await openDialog();
    expect(within(dialog).getByRole('button', { name: 'Open' })).toBeDisabled();
    await userEvent.type(search, 'carol');
    await within(dialog).findByRole('button', { name: 'carol' });
    await userEvent.keyboard('{Enter}');
    await userEvent.type(search, 'bob');
    await within(dialog).findByRole('button', { name: 'Bob Marley @bob' });
    await userEvent.keyboard('{Enter}');
    await userEvent.type(search, 'cara');
    await within(dialog).findByRole('button', { name: 'cara' });
    await userEvent.keyboard('{Enter}');
    const chips = () =>
      within(within(dialog).getByRole('list', { name: 'To' }))
        .getAllByRole('listitem')
        .map((li) => li.textContent);
    expect(chips()).toEqual(['CAcarol×', 'BMBob Marley×', 'CAcara×']);

    // Picked people are not offered again.
    await userEvent.type(search, 'car');
    expect(within(dialog).queryByRole('button', { name: 'carol' })).toBeNull();
    await userEvent.clear(search);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove cara' }));
    expect(chips()).toEqual(['CAcarol×', 'BMBob Marley×']);
    // Backspace in the empty field takes the last one back, as in Slack.
    await userEvent.type(search, 'cara');
    await within(dialog).findByRole('button', { name: 'cara' });
    await userEvent.keyboard('{Enter}{Backspace}');
    expect(chips()).toEqual(['CAcarol×', 'BMBob Marley×']);

    // Enter with nothing typed opens the conversation.
    await userEvent.keyboard('{Enter}');
    expect(socket.requests.find((r) => r.event === 'dm:open')?.payload).toEqual({ userIds: ['u_carol', 'u_bob'] });
  });

  it(`takes at most ${MAX_OTHERS} others, as a group DM may have`, async () => {
    renderList();
    const { dialog, search } = await openDialog();
    for (const c of 'defghijk') {
      await userEvent.type(search, `${c}${c}${c}`);
      await within(dialog).findByRole('button', { name: `${c}${c}${c}` });
      await userEvent.keyboard('{Enter}');
    }
    expect(within(within(dialog).getByRole('list', { name: 'To' })).getAllByRole('listitem')).toHaveLength(MAX_OTHERS);
    expect(within(dialog).getByText(`A conversation has at most ${MAX_OTHERS} people besides you.`)).toBeInTheDocument();
    await userEvent.type(search, 'carol');
    expect(await within(dialog).findByRole('button', { name: 'carol' })).toBeDisabled();
  });

  it('shows why the server refused', async () => {
    const { socket } = renderList();
    socket.respond('dm:open', () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'No such user.' } }));
    const { dialog, search } = await openDialog();
    await userEvent.type(search, 'carol');
    await userEvent.click(await within(dialog).findByRole('button', { name: 'carol' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Open' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('No such user.');
  });
});

describe('Direct messages in the room list', () => {
  it('marks a group DM with its size, a DM with the partner’s avatar and presence', () => {
    renderList([
      roomSummary({ id: 'dm:u_bob:u_carol:u_me', kind: 'dm', name: 'Bob Marley, carol', memberCount: 3 }),
      roomSummary({ id: 'dm:u_bob:u_me', kind: 'dm', name: 'Bob Marley', memberCount: 2 }),
    ]);
    const section = screen.getByRole('heading', { name: 'Direct messages' }).closest('section')!;
    const group = within(section).getByRole('link', { name: 'Bob Marley, carol' }).closest('li');
    const dm = within(section).getByRole('link', { name: 'Bob Marley' }).closest('li');
    expect(within(group!).getByRole('img', { name: 'Group of 3' })).toBeInTheDocument();
    expect(within(group!).queryByRole('img', { name: /online|offline/ })).toBeNull();
    expect(within(dm!).getByRole('img', { name: 'offline' })).toBeInTheDocument();
    expect(dm!.querySelector('.avatar')?.textContent).toBe('BM');
  });
});
