import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { skipToken, useQuery } from '@tanstack/react-query';
import { VirtuosoMockContext } from 'react-virtuoso';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RoomMessages } from '../src/features/chat/api/message-window';
import { messageKeys } from '../src/features/chat/api/messages.api';
import { useChatStore } from '../src/features/chat/chat.store';
import { Composer } from '../src/features/chat/components/composer';
import { MessageItem } from '../src/features/chat/components/message-item';
import { MessageList } from '../src/features/chat/components/message-list';
import { useChatEvents } from '../src/features/chat/hooks/use-chat-events';
import { ME, message, mine } from './support/fixtures';
import { actionNames, renderAs } from './support/message-support';

beforeEach(() => useChatStore.getState().reset());

describe('editing in place', () => {
  it('saves on Enter (Shift+Enter adds a line), showing the new text at once as saving', async () => {
    renderAs(<MessageItem message={mine(1, { text: 'see you at 5' })} mine />);
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const box = screen.getByRole('textbox', { name: 'Edit message' });
    expect(box).toHaveValue('see you at 5');
    expect(box).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Save' })).toBeInTheDocument();
    await userEvent.clear(box);
    await userEvent.type(box, 'see you{Shift>}{Enter}{/Shift}at 6{Enter}');
    expect(screen.queryByRole('textbox', { name: 'Edit message' })).toBeNull();
    expect(useChatStore.getState().changes).toMatchObject([{ kind: 'edit', messageId: 'm_1', text: 'see you\nat 6' }]);
    const article = screen.getByRole('article');
    expect(article).toHaveTextContent('see you');
    expect(article).toHaveTextContent('at 6');
    expect(article).not.toHaveTextContent('see you at 5');
    expect(article).toHaveTextContent('Saving…');
  });

  it('leaves the message as it was on Escape or Cancel, and on saving the same text', async () => {
    renderAs(<MessageItem message={mine(1, { text: 'unchanged' })} mine />);
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Edit message' }), ' and more{Escape}');
    expect(screen.queryByRole('textbox', { name: 'Edit message' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Edit message' }), ' and more');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Edit message' }), '{Enter}');
    expect(useChatStore.getState().changes).toEqual([]);
    expect(screen.getByRole('article')).toHaveTextContent('unchanged');
  });

  it('the Up arrow in an empty composer edits my last message of the room (not deleted, not someone else’s)', async () => {
    const held = [mine(1, { text: 'my older one' }), mine(2, { text: 'my last one' }), mine(3, { deleted: true, text: '' }), message(4)];
    const view = renderAs(
      <>
        {held.map((m) => (
          <MessageItem key={m.id} message={m} mine={m.author.id === ME.id} />
        ))}
        <Composer roomId="r_1" onSend={() => undefined} />
      </>,
    );
    view.queryClient.setQueryData<RoomMessages>(messageKeys.room('r_1'), { messages: held, hasOlder: false });
    const composer = screen.getByRole('textbox', { name: 'Message' });
    await userEvent.type(composer, 'x{ArrowUp}');
    expect(screen.queryByRole('textbox', { name: 'Edit message' })).toBeNull();
    await userEvent.clear(composer);
    await userEvent.type(composer, '{ArrowUp}');
    const box = await screen.findByRole('textbox', { name: 'Edit message' });
    expect(box).toHaveValue('my last one');
    await userEvent.type(box, '{Escape}');
    expect(screen.queryByRole('textbox', { name: 'Edit message' })).toBeNull();
    expect(composer).toHaveFocus();
  });
});

describe('versions', () => {
  it('an edited message has an `edited` button that lists every text with its time', async () => {
    const { socket } = renderAs(
      <MessageItem message={message(1, { text: 'see you at 6', editedAt: '2026-11-23T12:05:00.000Z', rev: 7 })} mine={false} />,
    );
    socket.respond('message:versions', () => ({
      ok: true,
      data: {
        versions: [
          { text: 'see you at 5', editedAt: '2026-11-23T12:00:00.000Z' },
          { text: 'see you at 6', editedAt: '2026-11-23T12:05:00.000Z' },
        ],
      },
    }));
    await userEvent.click(screen.getByRole('button', { name: 'edited' }));
    const dialog = screen.getByRole('dialog', { name: 'Versions' });
    const items = await within(dialog).findAllByRole('listitem');
    expect(items.map((item) => item.querySelector('.versions__text')!.textContent)).toEqual(['see you at 5', 'see you at 6']);
    expect(items.every((item) => item.querySelector('time[datetime]'))).toBe(true);
    expect(socket.requests.filter((r) => r.event === 'message:versions').map((r) => r.payload)).toEqual([
      { roomId: 'r_1', messageId: 'm_1' },
    ]);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Versions' })).toBeNull();
  });

  it('a message never edited has no such button', () => {
    renderAs(<MessageItem message={message(1)} mine={false} />);
    expect(screen.queryByRole('button', { name: 'edited' })).toBeNull();
  });
});

describe('deleting', () => {
  it('asks first; then shows the tombstone at once, with none of the old text anywhere', async () => {
    renderAs(<MessageItem message={mine(1, { text: 'my password is hunter2' })} mine />);
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete message' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(useChatStore.getState().changes).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(useChatStore.getState().changes).toMatchObject([{ kind: 'delete', messageId: 'm_1' }]);
    expect(screen.getByRole('article')).toHaveTextContent('This message was deleted');
    expect(document.body).not.toHaveTextContent('hunter2');
    expect(actionNames(screen.getByRole('article'))).toEqual([]);
  });

  it('a delete by someone else reaches everyone live, from message:updated', async () => {
    const ctx = renderAs(
      <VirtuosoMockContext.Provider value={{ viewportHeight: 600, itemHeight: 50 }}>
        <Live />
      </VirtuosoMockContext.Provider>,
    );
    ctx.queryClient.setQueryData<RoomMessages>(messageKeys.room('r_1'), {
      messages: [message(1, { text: 'oops, a secret' }), message(2, { text: 'fine' })],
      hasOlder: false,
    });
    await screen.findByText('oops, a secret');
    act(() => ctx.socket.serverEmit('message:updated', message(1, { rev: 4, deleted: true, text: '', reactions: [] })));
    await screen.findByText('This message was deleted');
    expect(document.body).not.toHaveTextContent('oops, a secret');
    const articles = await within(screen.getByRole('log', { name: 'Messages' })).findAllByRole('article');
    expect(articles.map((a) => a.querySelector('.message__text')!.textContent)).toEqual(['This message was deleted', 'fine']);
  });
});

/** The room's list, fed by the chat events, as the chat view shows it. */
function Live() {
  useChatEvents(ME);
  return <LiveList />;
}
function LiveList() {
  const ctxWindow = useWindow();
  return ctxWindow ? (
    <MessageList
      messages={ctxWindow.messages}
      pending={[]}
      meId={ME.id}
      me={ME}
      hasOlder={false}
      onLoadOlder={async () => undefined}
      onRetry={() => undefined}
      onAtBottomChange={() => undefined}
    />
  ) : null;
}
function useWindow() {
  return useQuery<RoomMessages>({ queryKey: messageKeys.room('r_1'), queryFn: skipToken }).data;
}
