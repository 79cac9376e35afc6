import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useChatStore } from '../src/features/chat/chat.store';
import { MessageItem } from '../src/features/chat/components/message-item';
import { BOB, ME, message, mine } from './support/fixtures';
import { actionNames, renderAs } from './support/message-support';

beforeEach(() => useChatStore.getState().reset());
afterEach(() => vi.unstubAllGlobals());

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
  });
});
