import { act, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { VirtuosoMockContext } from 'react-virtuoso';
import type { RoomSummary, User } from '@parley/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import { MessageList } from '../src/features/chat/components/message-list';
import { TypingIndicator } from '../src/features/chat/components/typing-indicator';
import { useChatStore } from '../src/features/chat/chat.store';
import { previewOf } from '../src/features/rooms/components/room-list-item';
import { usePeopleStore } from '../src/lib/people.store';
import { sharedKeys } from '../src/lib/query-keys';
import { usePeopleEvents } from '../src/lib/use-people-events';
import { BOB, ME, message, roomSummary } from './support/fixtures';
import { setup } from './support/render';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 12, minute)).toISOString();

function renderLog(messages = [message(1, { createdAt: at(0) }), message(2, { createdAt: at(1), text: 'again' })]) {
  const ctx = setup();
  function WithEvents({ children }: { children: ReactNode }) {
    usePeopleEvents(ME.id);
    return <>{children}</>;
  }
  render(
    <WithEvents>
      <VirtuosoMockContext.Provider value={{ viewportHeight: 600, itemHeight: 50 }}>
        <MessageList
          messages={messages}
          pending={[]}
          meId={ME.id}
          me={ME}
          hasOlder={false}
          onLoadOlder={async () => undefined}
          onRetry={() => undefined}
          onAtBottomChange={() => undefined}
        />
      </VirtuosoMockContext.Provider>
    </WithEvents>,
    { wrapper: ctx.wrapper },
  );
  return ctx;
}

const articles = () => within(screen.getByRole('log', { name: 'Messages' })).findAllByRole('article');

beforeEach(() => usePeopleStore.getState().reset());

describe('people as shown', () => {
  it('shows one name and avatar over a group of messages; each keeps its author and time for screen readers', async () => {
    renderLog();
    const [first, second] = await articles();
    expect(within(first!).getByText('bob')).toHaveClass('message__author');
    expect(first!.querySelector('.avatar')).not.toBeNull();
    expect(second).toHaveClass('message--grouped');
    expect(second!.querySelector('.avatar')).toBeNull();
    expect(second!.querySelector('.message__author')).toBeNull();
    expect(within(second!).getByText('bob')).toHaveClass('visually-hidden');
    expect(second!.querySelector('time')).toHaveAttribute('dateTime', at(1));
  });

  it('shows a display name changed elsewhere at once, on every message of that person', async () => {
    const { socket } = renderLog();
    await articles();
    const renamed: User = { ...BOB, displayName: 'Bob Marley' };
    act(() => socket.serverEmit('user:updated', { user: renamed }));
    const [first, second] = await articles();
    expect(within(first!).getByText('Bob Marley')).toHaveClass('message__author');
    expect(first!.querySelector('.avatar')?.textContent).toBe('BM');
    expect(within(second!).getByText('Bob Marley')).toBeInTheDocument();
    expect(within(first!).queryByText('bob')).toBeNull();
  });

  it('updates my own `me`, and asks for the room list again when a DM partner is renamed', async () => {
    const { socket, queryClient } = renderLog();
    queryClient.setQueryData(sharedKeys.me, ME);
    queryClient.setQueryData<RoomSummary[]>(sharedKeys.rooms, [
      roomSummary(),
      roomSummary({ id: 'dm:u_bob:u_me', kind: 'dm', name: 'bob' }),
    ]);

    act(() => socket.serverEmit('user:updated', { user: { ...ME, displayName: 'Me Myself' } }));
    expect(queryClient.getQueryData(sharedKeys.me)).toEqual({ ...ME, displayName: 'Me Myself' });
    expect(queryClient.getQueryState(sharedKeys.rooms)?.isInvalidated).toBe(false);

    act(() => socket.serverEmit('user:updated', { user: { ...BOB, displayName: 'Bob Marley' } }));
    await waitFor(() => expect(queryClient.getQueryState(sharedKeys.rooms)?.isInvalidated).toBe(true));
  });

  it('names people by their display name in room previews, invitations and the typing indicator', () => {
    const named = (u: User) => u.displayName || u.username;
    const room = roomSummary({ lastMessage: { text: 'hi', author: { ...BOB, displayName: 'Bob Marley' }, createdAt: at(0), files: 0 } });
    expect(previewOf(room, ME.id, named)).toBe('Bob Marley: hi');
    expect(previewOf(roomSummary({ joined: false, kind: 'private', invitedBy: { ...BOB, displayName: 'Bobby' } }), ME.id)).toBe(
      'Bobby invited you',
    );

    render(<TypingIndicator roomId="r_1" />);
    act(() => useChatStore.getState().setTyping('r_1', { userId: BOB.id, username: 'bob', displayName: 'Bob Marley' }, true));
    expect(screen.getByText('Bob Marley is typing')).toBeInTheDocument();
    act(() => usePeopleStore.getState().heard({ ...BOB, displayName: 'Robert' }));
    expect(screen.getByText('Robert is typing')).toBeInTheDocument();
  });
});
