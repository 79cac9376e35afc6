import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { readFile } from 'node:fs/promises';
import type { ReactNode } from 'react';
import { skipToken, useQuery } from '@tanstack/react-query';
import { VirtuosoMockContext } from 'react-virtuoso';
import type { Message, RoomRole, RoomSummary } from '@parley/protocol';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { messageKeys, type RoomMessages } from '../src/features/chat/api/messages.api';
import { useChatStore } from '../src/features/chat/chat.store';
import { Composer } from '../src/features/chat/components/composer';
import { MessageItem } from '../src/features/chat/components/message-item';
import { MessageList } from '../src/features/chat/components/message-list';
import { useChatEvents } from '../src/features/chat/hooks/use-chat-events';
import { ThreadOpenerContext } from '../src/features/chat/thread-context';
import { sharedKeys } from '../src/lib/query-keys';
import { BOB, ME, message, setup } from './support/render';

const summary = (role: RoomRole | null, joined = true): RoomSummary => ({
  id: 'r_1',
  kind: 'public',
  name: 'general',
  memberCount: 2,
  lastSeq: 3,
  lastRev: 3,
  topic: '',
  joined,
  unread: 0,
  lastMessage: null,
  invitedBy: null,
  mentions: 0,
  threadsUnread: 0,
  role,
});

const mine = (seq: number, overrides: Partial<Message> = {}) => message(seq, { author: ME, ...overrides });

beforeEach(() => useChatStore.getState().reset());

/** Renders inside the signed-in providers, as me, with my role in room r_1 and a thread opener. */
function renderAs(ui: ReactNode, { role = 'member', joined = true }: { role?: RoomRole | null; joined?: boolean } = {}) {
  const ctx = setup();
  ctx.queryClient.setQueryData(sharedKeys.me, ME);
  ctx.queryClient.setQueryData(sharedKeys.rooms, [summary(role, joined)]);
  const openThread = vi.fn();
  const Providers = ctx.wrapper;
  const view = render(
    <Providers>
      <ThreadOpenerContext.Provider value={{ openThread, openRootId: null }}>{ui}</ThreadOpenerContext.Provider>
    </Providers>,
  );
  return { ...ctx, ...view, openThread };
}

const actionNames = (article: HTMLElement) =>
  within(article)
    .queryAllByRole('button')
    .map((b) => b.getAttribute('aria-label') ?? b.textContent)
    .filter((name) => ['Edit', 'Delete', 'Add reaction', 'Reply in thread'].includes(name!));

describe('which actions a message offers', () => {
  it('my own message: edit, delete, react, reply in thread', () => {
    renderAs(<MessageItem message={mine(1)} mine />);
    expect(actionNames(screen.getByRole('article'))).toEqual(['Add reaction', 'Reply in thread', 'Edit', 'Delete']);
  });

  it("someone else's: react and reply; delete too for an owner or admin; never edit", () => {
    const { unmount } = renderAs(<MessageItem message={message(1)} mine={false} />);
    expect(actionNames(screen.getByRole('article'))).toEqual(['Add reaction', 'Reply in thread']);
    unmount();
    for (const role of ['admin', 'owner'] as const) {
      const view = renderAs(<MessageItem message={message(1)} mine={false} />, { role });
      expect(actionNames(screen.getByRole('article'))).toEqual(['Add reaction', 'Reply in thread', 'Delete']);
      view.unmount();
    }
  });

  it('a reply offers no thread of its own; a deleted message and a room not joined offer nothing', () => {
    const reply = renderAs(<MessageItem message={mine(2, { threadRootId: 'm_1' })} mine />);
    expect(actionNames(screen.getByRole('article'))).toEqual(['Add reaction', 'Edit', 'Delete']);
    reply.unmount();
    const deleted = renderAs(<MessageItem message={mine(1, { deleted: true, text: '' })} mine />, { role: 'owner' });
    expect(actionNames(screen.getByRole('article'))).toEqual([]);
    deleted.unmount();
    renderAs(<MessageItem message={message(1)} mine={false} />, { role: null, joined: false });
    expect(actionNames(screen.getByRole('article'))).toEqual([]);
  });

  it('are reached with Tab from inside the message', async () => {
    renderAs(<MessageItem message={mine(1)} mine />);
    await userEvent.tab();
    expect(screen.getByRole('button', { name: 'Add reaction' })).toHaveFocus();
    await userEvent.tab();
    expect(screen.getByRole('button', { name: 'Reply in thread' })).toHaveFocus();
  });

  it('opens the thread from Reply in thread and from the reply count', async () => {
    const { openThread } = renderAs(
      <MessageItem message={message(1, { thread: { replyCount: 1, lastReplyAt: null, lastReplySeq: 2 } })} mine={false} />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Reply in thread' }));
    await userEvent.click(screen.getByRole('button', { name: '1 reply' }));
    expect(openThread.mock.calls).toEqual([['m_1'], ['m_1']]);
  });
});

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
      meUsername={ME.username}
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

describe('reactions', () => {
  const reacted = () =>
    mine(1, {
      reactions: [
        { emoji: '👍', userIds: [BOB.id] },
        { emoji: '🎉', userIds: [BOB.id, ME.id] },
      ],
    });

  it('are toggles named `<emoji> <count>`, pressed where one is mine', () => {
    renderAs(<MessageItem message={reacted()} mine />);
    expect(screen.getByRole('button', { name: '👍 1' })).toHaveAttribute('aria-pressed', 'false');
    expect(screen.getByRole('button', { name: '🎉 2' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('clicking one sets or takes back mine, shown at once', async () => {
    renderAs(<MessageItem message={reacted()} mine />);
    await userEvent.click(screen.getByRole('button', { name: '👍 1' }));
    expect(screen.getByRole('button', { name: '👍 2' })).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(screen.getByRole('button', { name: '🎉 2' }));
    expect(screen.getByRole('button', { name: '🎉 1' })).toHaveAttribute('aria-pressed', 'false');
    expect(useChatStore.getState().changes).toMatchObject([
      { kind: 'reaction', emoji: '👍', on: true },
      { kind: 'reaction', emoji: '🎉', on: false },
    ]);
    // Taking back the last one of an emoji removes its toggle.
    await userEvent.click(screen.getByRole('button', { name: '👍 2' }));
    expect(screen.getByRole('button', { name: '👍 1' })).toHaveAttribute('aria-pressed', 'false');
  });

  it('shows why the server refused one, until dismissed', async () => {
    renderAs(<MessageItem message={reacted()} mine />);
    act(() => {
      useChatStore
        .getState()
        .enqueueChange({ id: 'x', kind: 'reaction', roomId: 'r_1', messageId: 'm_1', emoji: '🚀', on: true, createdAt: '' });
      useChatStore.getState().refuseChange('x', 'Reaction not saved: at most 20 different emoji per message');
    });
    expect(screen.getByRole('alert')).toHaveTextContent('at most 20 different emoji');
    expect(screen.queryByRole('button', { name: '🚀 1' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('the emoji picker', () => {
  it('opens (loaded on demand) from Add reaction; choosing an emoji sets my reaction to it', async () => {
    // The emoji data is fetched from the app's own assets (here, the file itself).
    vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
      const body = await readFile(String(input).replace(/^\/@fs/, ''), 'utf8');
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    });
    renderAs(<MessageItem message={message(1)} mine={false} />);
    await userEvent.click(screen.getByRole('button', { name: 'Add reaction' }));
    const search = await screen.findByRole('searchbox', {}, { timeout: 5_000 });
    const picker = screen.getByRole('dialog', { name: 'Add reaction' });
    expect(picker).toContainElement(search);
    await userEvent.type(search, 'thumbs up');
    const thumbs = await within(picker).findAllByRole('button', { name: /^👍 /u }, { timeout: 5_000 });
    await userEvent.click(thumbs[0]!);
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Add reaction' })).toBeNull());
    // One spelling per emoji: the picker's 👍️ (with U+FE0F) is sent as 👍.
    expect(useChatStore.getState().changes).toMatchObject([{ kind: 'reaction', messageId: 'm_1', emoji: '👍', on: true }]);
    expect(screen.getByRole('button', { name: '👍 1' })).toHaveAttribute('aria-pressed', 'true');
    vi.unstubAllGlobals();
  });
});
