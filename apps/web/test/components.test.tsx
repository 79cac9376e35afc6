import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { RoomRoute } from '../src/app/room-route';
import { Composer } from '../src/features/chat/components/composer';
import { TypingIndicator } from '../src/features/chat/components/typing-indicator';
import { useChatStore } from '../src/features/chat/chat.store';
import { RoomList } from '../src/features/rooms/components/room-list';
import { sharedKeys } from '../src/lib/query-keys';
import { ME, roomSummary } from './support/fixtures';
import { setup } from './support/render';

beforeEach(() => useChatStore.getState().reset());

describe('Composer', () => {
  it('sends on Enter, adds a line on Shift+Enter, and never sends blank text', async () => {
    const { wrapper } = setup();
    const onSend = vi.fn();
    render(<Composer roomId="r_1" onSend={onSend} />, { wrapper });
    const box = screen.getByRole('textbox', { name: 'Message' });
    expect(box).toHaveFocus();

    await userEvent.type(box, '   {Enter}');
    expect(onSend).not.toHaveBeenCalled();
    // Nothing visible (a zero-width space, a right-to-left override) is blank too: the server refuses it.
    useChatStore.getState().setDraft('r_1', ' \u200b\u202e ');
    await userEvent.type(box, '{Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
    await userEvent.clear(box);
    await userEvent.type(box, 'line one{Shift>}{Enter}{/Shift}line two');
    expect(box).toHaveValue('line one\nline two');
    await userEvent.type(box, '{Enter}');
    expect(onSend).toHaveBeenCalledWith('line one\nline two', []);
    expect(box).toHaveValue('');
  });

  it('tells the room when typing starts and stops', async () => {
    const { wrapper, socket } = setup();
    render(<Composer roomId="r_1" onSend={() => undefined} />, { wrapper });
    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), 'hi{Enter}');
    expect(socket.requests.filter((r) => r.event === 'typing:set').map((r) => r.payload.typing)).toEqual([true, false]);
  });

  it('tells a room typing stopped when its composer goes away mid-sentence', async () => {
    const { wrapper, socket } = setup();
    const { rerender, unmount } = render(<Composer roomId="r_1" onSend={() => undefined} />, { wrapper });
    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), 'hal');
    rerender(<Composer roomId="r_2" onSend={() => undefined} />);
    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), 'x');
    unmount();
    expect(socket.requests.filter((r) => r.event === 'typing:set').map((r) => r.payload)).toEqual([
      { roomId: 'r_1', typing: true },
      { roomId: 'r_1', typing: false },
      { roomId: 'r_2', typing: true },
      { roomId: 'r_2', typing: false },
    ]);
  });

  it('refuses more than 4000 characters with a visible reason', async () => {
    const { wrapper } = setup();
    render(<Composer roomId="r_1" onSend={() => undefined} />, { wrapper });
    useChatStore.getState().setDraft('r_1', 'x'.repeat(4001));
    expect(await screen.findByRole('alert')).toHaveTextContent('at most 4000');
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
  });
});

// MessageList (virtualised): see message-list.test.tsx.

describe('TypingIndicator', () => {
  it('says who is typing', () => {
    render(<TypingIndicator roomId="r_1" />);
    act(() => useChatStore.getState().setTyping('r_1', { userId: 'u_a', username: 'ann', displayName: '' }, true));
    expect(screen.getByText('ann is typing')).toBeInTheDocument();
  });
});

describe('RoomList', () => {
  const rooms = [
    roomSummary({ memberCount: 3, lastSeq: 9, unread: 3 }),
    roomSummary({ id: 'r_2', name: 'random', memberCount: 1, joined: false, role: null }),
    roomSummary({ id: 'dm:u_bob:u_me', kind: 'dm', name: 'bob', lastSeq: 1, lastRev: 1 }),
  ];

  it('lists my rooms with unread badges, DMs by name, and rooms to browse', () => {
    const { wrapper, queryClient } = setup();
    queryClient.setQueryData(sharedKeys.rooms, rooms);
    render(<RoomList me={ME} />, { wrapper });
    const nav = screen.getByRole('navigation', { name: 'Rooms' });
    expect(within(nav).getByRole('link', { name: 'general' })).toHaveAttribute('href', '/rooms/r_1');
    expect(within(nav).getByRole('img', { name: '3 unread messages' })).toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'bob' })).toHaveAttribute('href', `/rooms/${encodeURIComponent('dm:u_bob:u_me')}`);
    expect(within(nav).getByRole('link', { name: 'random' })).toHaveAttribute('href', '/rooms/r_2');
    expect(within(nav).getByRole('heading', { name: 'Browse' })).toBeInTheDocument();
  });
});

describe('RoomRoute', () => {
  it('shows "Room not found" for a room I cannot see, never the room', async () => {
    const { queryClient, wrapper } = setup({ path: '/rooms/r_secret' });
    queryClient.setQueryData(sharedKeys.rooms, []);
    render(
      <Routes>
        <Route path="/rooms/:roomId" element={<RoomRoute me={ME} />} />
      </Routes>,
      { wrapper },
    );
    expect(await screen.findByRole('heading', { name: 'Room not found' })).toBeInTheDocument();
    expect(screen.queryByRole('log')).toBeNull();
  });
});
