import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Room } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useChatStore } from '../src/features/chat/chat.store';
import { memberActions } from '../src/features/rooms/moderation';
import { useConnectionStore } from '../src/lib/connection.store';
import { ME, roomSummary } from './support/fixtures';
import { member, openMembers, person, renderRoom, row } from './support/members-support';

const bob = person('bob');
const carol = person('carol', 'Carol C.');

beforeEach(() => {
  useChatStore.getState().reset();
  useConnectionStore.setState({ status: 'connected', generation: 1 });
});
afterEach(() => vi.unstubAllGlobals());

const owned = () => roomSummary({ role: 'owner', memberCount: 3 });
const members = [member(bob), member(carol), member(ME, 'owner', true)];

describe('who may do what to whom', () => {
  const ids = { owner: member(person('olive'), 'owner'), admin: member(person('adam'), 'admin'), member: member(person('mia')) };
  it.each([
    ['owner', 'public', { owner: [], admin: ['remove-admin', 'remove', 'ban'], member: ['make-admin', 'remove', 'ban'] }],
    ['owner', 'private', { owner: [], admin: ['remove-admin', 'remove', 'ban'], member: ['make-admin', 'remove', 'ban'] }],
    ['admin', 'public', { owner: [], admin: [], member: ['remove', 'ban'] }],
    ['member', 'public', { owner: [], admin: [], member: [] }],
    ['owner', 'dm', { owner: [], admin: [], member: [] }],
    [null, 'public', { owner: [], admin: [], member: [] }],
  ] as const)('as %s of a %s room', (role, kind, expected) => {
    for (const [targetRole, target] of Object.entries(ids)) {
      expect(memberActions({ kind, role }, target, ME.id), targetRole).toEqual(expected[targetRole as keyof typeof expected]);
    }
    // Never on myself.
    expect(memberActions({ kind, role }, member(ME, 'member'), ME.id)).toEqual([]);
  });
});

describe('moderating from the Members panel', () => {
  it('Make admin and Remove admin: asked of the server, shown at once', async () => {
    const { requests } = renderRoom(owned(), members);
    const panel = await openMembers();
    await userEvent.click(within(row(panel, 'bob')).getByRole('button', { name: 'Make admin' }));
    expect(await within(panel).findByRole('status')).toHaveTextContent('bob is now an admin.');
    expect(requests('room:set-role')).toEqual([{ roomId: 'r_1', userId: bob.id, role: 'admin' }]);
    expect(row(panel, 'bob')).toHaveTextContent('Admin');
    await userEvent.click(within(row(panel, 'bob')).getByRole('button', { name: 'Remove admin' }));
    await waitFor(() => expect(within(panel).getByRole('status')).toHaveTextContent('bob is no longer an admin.'));
    expect(requests('room:set-role')[1]).toEqual({ roomId: 'r_1', userId: bob.id, role: 'member' });
    expect(row(panel, 'bob')).not.toHaveTextContent('Admin');
  });

  it('Remove: the member leaves the panel, and the focus goes to its heading', async () => {
    const { requests } = renderRoom(owned(), members);
    const panel = await openMembers();
    await userEvent.click(within(row(panel, 'bob')).getByRole('button', { name: 'Remove' }));
    expect(await within(panel).findByRole('status')).toHaveTextContent('Removed bob.');
    expect(requests('room:remove-member')).toEqual([{ roomId: 'r_1', userId: bob.id, ban: false }]);
    expect(row(panel, 'bob')).toBeUndefined();
    expect(within(panel).getByRole('heading', { name: 'Members' })).toHaveFocus();
  });

  it('Ban asks first (Cancel has the focus and changes nothing), then bans and offers Unban', async () => {
    const { requests } = renderRoom(owned(), members);
    const panel = await openMembers();
    const ban = within(row(panel, 'Carol C.')).getByRole('button', { name: 'Ban' });
    await userEvent.click(ban);
    const dialog = screen.getByRole('dialog', { name: 'Ban Carol C.?' });
    expect(dialog).toHaveTextContent('Carol C. leaves general at once and cannot join it again until unbanned.');
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(ban).toHaveFocus();
    expect(requests('room:remove-member')).toEqual([]);

    await userEvent.click(ban);
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Ban Carol C.?' })).getByRole('button', { name: 'Ban' }));
    const status = await within(panel).findByRole('status');
    expect(status).toHaveTextContent('Banned Carol C.');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(requests('room:remove-member')).toEqual([{ roomId: 'r_1', userId: carol.id, ban: true }]);
    expect(row(panel, 'Carol C.')).toBeUndefined();

    const unban = within(status).getByRole('button', { name: 'Unban' });
    expect(unban).toHaveFocus();
    await userEvent.click(unban);
    await waitFor(() => expect(within(panel).getByRole('status')).toHaveTextContent('Unbanned Carol C.: they can join again.'));
    expect(requests('room:unban')).toEqual([{ roomId: 'r_1', userId: carol.id }]);
  });

  it('says why when the server refuses, and changes nothing', async () => {
    const { socket } = renderRoom(roomSummary({ role: 'admin' }), [member(bob), member(ME, 'admin')]);
    socket.respond('room:remove-member', () => ({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Only the owner may remove an admin.' },
    }));
    const panel = await openMembers();
    await userEvent.click(within(row(panel, 'bob')).getByRole('button', { name: 'Remove' }));
    expect(await within(panel).findByRole('alert')).toHaveTextContent('Only the owner may remove an admin.');
    expect(row(panel, 'bob')).toBeDefined();

    // A refused ban stays in its dialog, saying why.
    await userEvent.click(within(row(panel, 'bob')).getByRole('button', { name: 'Ban' }));
    const dialog = screen.getByRole('dialog', { name: 'Ban bob?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Ban' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Only the owner may remove an admin.');
    expect(row(panel, 'bob')).toBeDefined();
  });
});

describe('the room header', () => {
  it('shows the topic on one line under the name, all of it in the tooltip', async () => {
    const topic = 'Where the team talks about the launch, the schedule and everything in between';
    renderRoom(roomSummary({ topic }), []);
    const text = await screen.findByText(topic);
    expect(text).toHaveAttribute('title', topic);
    expect(text).toHaveClass('chat__topic');
  });

  it('has no topic line when the room has none', async () => {
    renderRoom(roomSummary(), []);
    await screen.findByRole('heading', { level: 1 });
    expect(document.querySelector('.chat__topic')).toBeNull();
  });

  it('follows room:updated live: the name and the topic', async () => {
    const { socket, roomList } = renderRoom(roomSummary({ lastSeq: 4, unread: 0 }), []);
    await screen.findByRole('heading', { level: 1, name: /general/ });
    const room: Room = { id: 'r_1', kind: 'public', name: 'launch', memberCount: 2, lastSeq: 0, lastRev: 0, topic: 'Ship it' };
    act(() => socket.serverEmit('room:updated', { room }));
    expect(await screen.findByRole('heading', { level: 1, name: /launch/ })).toBeInTheDocument();
    expect(screen.getByText('Ship it')).toBeInTheDocument();
    // Only the name and topic: the list's own counts stay.
    expect(roomList()[0]).toMatchObject({ name: 'launch', topic: 'Ship it', lastSeq: 4 });
  });
});

describe('Room settings', () => {
  it('is offered to owners and admins of public and private rooms only', async () => {
    for (const [overrides, offered] of [
      [{ role: 'owner' }, true],
      [{ role: 'admin', kind: 'private' }, true],
      [{ role: 'member' }, false],
      [{ role: 'member', kind: 'dm', id: 'dm:u_bob:u_me', name: 'bob' }, false],
    ] as const) {
      const { unmount } = renderRoom(roomSummary(overrides), []);
      await screen.findByRole('heading', { level: 1 });
      expect(screen.queryByRole('button', { name: 'Room settings' }) !== null, JSON.stringify(overrides)).toBe(offered);
      unmount();
    }
  });

  it('sends only what changed, shows the server refusal, and closes on success with the header updated', async () => {
    const { socket, requests } = renderRoom(owned(), []);
    socket.respond('room:update', ({ name, topic }) =>
      name !== undefined && name.trim() === ''
        ? { ok: false, error: { code: 'INVALID', message: 'name must be 1 to 64 characters after trimming' } }
        : {
            ok: true,
            data: {
              room: { id: 'r_1', kind: 'public', name: name ?? 'general', memberCount: 3, lastSeq: 0, lastRev: 0, topic: topic ?? '' },
            },
          },
    );
    const open = await screen.findByRole('button', { name: 'Room settings' });
    await userEvent.click(open);
    const dialog = screen.getByRole('dialog', { name: 'Room settings' });
    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    expect(name).toHaveFocus();
    expect(name).toHaveValue('general');

    await userEvent.clear(name);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('name must be 1 to 64 characters after trimming');

    await userEvent.type(name, 'general');
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Topic' }), 'Say hello');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(requests('room:update')).toEqual([
      { roomId: 'r_1', name: '' },
      { roomId: 'r_1', topic: 'Say hello' },
    ]);
    expect(await screen.findByText('Say hello')).toHaveClass('chat__topic');
    expect(open).toHaveFocus();
  });

  it('closes without asking when nothing changed', async () => {
    const { requests } = renderRoom(owned(), []);
    await userEvent.click(await screen.findByRole('button', { name: 'Room settings' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Room settings' })).getByRole('button', { name: 'Save' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(requests('room:update')).toEqual([]);
  });
});
