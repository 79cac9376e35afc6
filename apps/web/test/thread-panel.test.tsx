import 'fake-indexeddb/auto';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '@parley/protocol';
import { RoomRoute, useOpenThread } from '../src/app/room-route';
import { useChatStore } from '../src/features/chat/chat.store';
import { ChatView } from '../src/features/chat/components/chat-view';
import { useThreadOpener } from '../src/features/chat/thread-context';
import { useConnectionStore } from '../src/lib/connection.store';
import { BOB, ME, message, reply } from './support/fixtures';
import { general, location, renderAt, serveHistory, stubRoomHistory } from './thread-support';

/** Stands in for a message's `Reply in thread` button: what it calls, from inside the chat view. */
function OpenThreadButton({ rootId }: { rootId: string }) {
  const opener = useThreadOpener();
  return (
    <button type="button" onClick={() => opener?.openThread(rootId)}>
      Open thread {rootId}
    </button>
  );
}

/** The room page as the app routes it, with a way to open a thread as a message would. */
function RoomWithOpener() {
  const [thread, onThreadChange] = useOpenThread();
  return (
    <ChatView
      room={general}
      name="general"
      me={ME}
      actions={<OpenThreadButton rootId="m_1" />}
      joinAction={null}
      thread={thread}
      onThreadChange={onThreadChange}
    />
  );
}

const root = message(1, { thread: { replyCount: 2, lastReplyAt: null, lastReplySeq: 3 } });
const topLevel = [root, message(4)];
const panel = () => screen.getByRole('complementary', { name: 'Thread' });
const repliesLog = () => within(panel()).getByRole('log', { name: 'Replies' });
const replyTexts = () =>
  within(repliesLog())
    .queryAllByRole('article')
    .map((a) => a.querySelector('.message__text')?.textContent);

function setViewportWidth(width: number) {
  act(() => (window as unknown as { happyDOM: { setViewport(v: { width: number }): void } }).happyDOM.setViewport({ width }));
}

beforeEach(() => {
  useChatStore.getState().reset();
  useConnectionStore.setState({ status: 'connected', generation: 1, recovered: false });
  setViewportWidth(1024);
});
afterEach(() => vi.unstubAllGlobals());

async function openFromRoom(replies: Message[] = [reply(2), reply(3)], rooms = topLevel) {
  stubRoomHistory(rooms);
  const rendered = renderAt(<RoomWithOpener />, '/rooms/r_1');
  serveHistory(rendered.socket, { replies, topLevel: rooms });
  await screen.findByRole('log', { name: 'Messages' });
  await userEvent.click(screen.getByRole('button', { name: 'Open thread m_1' }));
  await waitFor(() => expect(replyTexts()).toEqual(replies.map((m) => m.text)));
  return rendered;
}

describe('the thread panel', () => {
  it('opens from the thread opener beside the room, with the root, its replies and the URL', async () => {
    expect(screen.queryByRole('complementary', { name: 'Thread' })).toBeNull();
    const { socket } = await openFromRoom();
    expect(within(panel()).getByText('message 1')).toBeInTheDocument();
    expect(within(panel()).getByRole('button', { name: '2 replies' })).toBeInTheDocument();
    // Beside the room: the room's messages are still there.
    expect(screen.getByRole('log', { name: 'Messages' })).toBeInTheDocument();
    expect(location()).toBe('/rooms/r_1?thread=m_1&rootSeq=1');
    expect(socket.requests).toContainEqual({ event: 'message:history', payload: { roomId: 'r_1', threadRootId: 'm_1', limit: 50 } });
    // The root came from the room's window: not fetched again.
    expect(socket.requests.filter((r) => r.event === 'message:history' && r.payload.topLevel)).toEqual([]);
    expect(within(panel()).getByRole('textbox', { name: 'Reply' })).toHaveFocus();
  });

  it("opens from a message's own buttons, Reply in thread and N replies; replies offer no Reply in thread", async () => {
    stubRoomHistory(topLevel);
    renderAt(<RoomWithOpener />, '/rooms/r_1', { replies: [reply(2), reply(3)], topLevel });
    const messages = await screen.findByRole('log', { name: 'Messages' });
    // The list re-renders its rows (and shows them once measured): the root's article is looked up each time.
    const rootArticle = async () => (await within(messages).findAllByRole('article')).find((a) => a.textContent?.includes('message 1'))!;
    await userEvent.click(within(await rootArticle()).getByRole('button', { name: 'Reply in thread' }));
    await waitFor(() => expect(replyTexts()).toEqual(['reply 2', 'reply 3']));
    expect(location()).toBe('/rooms/r_1?thread=m_1&rootSeq=1');
    for (const article of within(repliesLog()).getAllByRole('article')) {
      expect(within(article).queryByRole('button', { name: 'Reply in thread' })).toBeNull();
    }

    await userEvent.click(within(panel()).getByRole('button', { name: 'Close thread' }));
    await userEvent.click(within(await rootArticle()).getByRole('button', { name: '2 replies' }));
    await waitFor(() => expect(replyTexts()).toEqual(['reply 2', 'reply 3']));
  });

  it('pages older replies, newest page first, each reply once', async () => {
    const replies = Array.from({ length: 60 }, (_, i) => reply(i + 2));
    const { socket } = await openFromRoom(replies.slice(-50), [
      message(1, { thread: { replyCount: 60, lastReplyAt: null, lastReplySeq: 61 } }),
    ]);
    serveHistory(socket, { replies, topLevel: [] });
    await userEvent.click(within(panel()).getByRole('button', { name: 'Load older' }));
    await waitFor(() => expect(replyTexts()).toEqual(replies.map((m) => m.text)));
    expect(socket.requests.at(-1)).toEqual({
      event: 'message:history',
      payload: { roomId: 'r_1', threadRootId: 'm_1', limit: 50, before: 12 },
    });
    expect(within(panel()).queryByRole('button', { name: 'Load older' })).toBeNull();
  });

  it('opened at a reply (a search result): loads older pages until it is held, and marks it', async () => {
    const replies = Array.from({ length: 120 }, (_, i) => reply(i + 2));
    const threadRoot = message(1, { thread: { replyCount: 120, lastReplyAt: null, lastReplySeq: 121 } });
    stubRoomHistory([threadRoot]);
    const scrolled: string[] = [];
    vi.spyOn(HTMLElement.prototype, 'scrollIntoView').mockImplementation(function (this: HTMLElement) {
      scrolled.push(this.getAttribute('data-seq') ?? '');
    });
    const { socket } = renderAt(<RoomWithOpener />, '/rooms/r_1?thread=m_1&rootSeq=1&reply=5', { replies, topLevel: [threadRoot] });
    await screen.findByRole('log', { name: 'Replies' });
    const marked = await within(repliesLog()).findByText('reply 5', {}, { timeout: 3000 });
    expect(marked.closest('article')).toHaveAttribute('aria-current', 'true');
    expect(
      within(repliesLog())
        .getAllByRole('article')
        .filter((a) => a.getAttribute('aria-current') === 'true'),
    ).toHaveLength(1);
    // Three pages of 50: the newest, then two older ones, no more than needed.
    expect(socket.requests.filter((r) => r.event === 'message:history' && r.payload.threadRootId === 'm_1')).toHaveLength(3);
    await waitFor(() => expect(scrolled).toEqual(['5']));
    expect(location()).toContain('reply=5');
  });

  it('shows a live reply once, a newer state of a reply in its place, never an older one', async () => {
    const { socket } = await openFromRoom();
    act(() => socket.serverEmit('message:created', reply(5)));
    act(() => socket.serverEmit('message:created', reply(5)));
    act(() => socket.serverEmit('message:created', message(6)));
    act(() => socket.serverEmit('message:created', reply(7, { threadRootId: 'm_4' })));
    act(() => socket.serverEmit('message:created', reply(8)));
    await waitFor(() => expect(replyTexts()).toEqual(['reply 2', 'reply 3', 'reply 5', 'reply 8']));

    act(() => socket.serverEmit('message:updated', reply(3, { text: 'edited', rev: 10 })));
    await waitFor(() => expect(replyTexts()).toEqual(['reply 2', 'edited', 'reply 5', 'reply 8']));
    act(() => socket.serverEmit('message:updated', reply(3, { text: 'stale', rev: 9 })));
    act(() => socket.serverEmit('message:updated', reply(8, { text: 'reply 8 edited', rev: 11 })));
    await waitFor(() => expect(replyTexts()).toEqual(['reply 2', 'edited', 'reply 5', 'reply 8 edited']));

    act(() =>
      socket.serverEmit('message:updated', {
        ...root,
        text: 'root edited',
        rev: 12,
        thread: { replyCount: 3, lastReplyAt: null, lastReplySeq: 5 },
      }),
    );
    expect(await within(panel()).findByText('root edited')).toBeInTheDocument();
    expect(within(panel()).getByRole('button', { name: '3 replies' })).toBeInTheDocument();
  });

  it('keeps a reply that arrives while the first page is on its way', async () => {
    stubRoomHistory(topLevel);
    const { socket } = renderAt(<RoomWithOpener />, '/rooms/r_1');
    let answer: (messages: Message[]) => void = () => undefined;
    socket.respond('message:history', () => new Promise((resolve) => (answer = (messages) => resolve({ ok: true, data: { messages } }))));
    await userEvent.click(await screen.findByRole('button', { name: 'Open thread m_1' }));
    await waitFor(() => expect(socket.requests.some((r) => r.event === 'message:history')).toBe(true));
    act(() => socket.serverEmit('message:created', reply(3)));
    act(() => answer([reply(2)]));
    await waitFor(() => expect(replyTexts()).toEqual(['reply 2', 'reply 3']));
  });

  it('sends a reply through the outbox with its threadRootId, shown pending in the thread only, then once', async () => {
    const { socket } = await openFromRoom();
    let ack: (m: Message) => void = () => undefined;
    socket.respond('message:send', () => new Promise((resolve) => (ack = (message) => resolve({ ok: true, data: { message } }))));
    const box = within(panel()).getByRole('textbox', { name: 'Reply' });
    await userEvent.type(box, 'first line{Shift>}{Enter}{/Shift}second{Enter}');
    expect(box).toHaveValue('');

    const sent = await waitFor(() => {
      const request = socket.requests.find((r) => r.event === 'message:send');
      expect(request).toBeDefined();
      return request!.payload;
    });
    expect(sent).toMatchObject({ roomId: 'r_1', threadRootId: 'm_1', text: 'first line\nsecond' });
    expect(useChatStore.getState().outbox).toMatchObject([{ threadRootId: 'm_1', text: 'first line\nsecond' }]);
    const pending = within(repliesLog()).getByText('Sending…').closest('article')!;
    expect(pending).toHaveTextContent('first line');
    // Not in the room's list: only its two top-level messages there.
    const roomRows = await within(screen.getByRole('log', { name: 'Messages' })).findAllByRole('article');
    expect(roomRows.map((a) => a.querySelector('.message__text')?.textContent)).toEqual(['message 1', 'message 4']);

    // The ack alone puts it in the thread; its broadcast after that changes nothing.
    const stored = reply(5, { author: ME, clientMsgId: sent.clientMsgId, text: 'first line\nsecond' });
    act(() => ack(stored));
    await waitFor(() => expect(within(repliesLog()).queryByText('Sending…')).toBeNull());
    expect(replyTexts()).toEqual(['reply 2', 'reply 3', 'first line\nsecond']);
    act(() => socket.serverEmit('message:created', stored));
    act(() => socket.serverEmit('message:created', reply(6)));
    await waitFor(() => expect(replyTexts()).toEqual(['reply 2', 'reply 3', 'first line\nsecond', 'reply 6']));
    expect(useChatStore.getState().outbox).toEqual([]);
  });

  it('marks the thread read up to its newest reply while it is open and the page visible', async () => {
    const { socket } = await openFromRoom();
    const reads = () => socket.requests.filter((r) => r.event === 'thread:read').map((r) => r.payload);
    await waitFor(() => expect(reads()).toEqual([{ roomId: 'r_1', threadRootId: 'm_1', seq: 3 }]));
    act(() => socket.serverEmit('message:created', reply(5)));
    await waitFor(() =>
      expect(reads()).toEqual([
        { roomId: 'r_1', threadRootId: 'm_1', seq: 3 },
        { roomId: 'r_1', threadRootId: 'm_1', seq: 5 },
      ]),
    );

    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    act(() => document.dispatchEvent(new Event('visibilitychange')));
    act(() => socket.serverEmit('message:created', reply(6)));
    await waitFor(() => expect(replyTexts()).toContain('reply 6'));
    expect(reads()).toHaveLength(2);
    vi.restoreAllMocks();
    act(() => document.dispatchEvent(new Event('visibilitychange')));
    await waitFor(() => expect(reads().at(-1)).toEqual({ roomId: 'r_1', threadRootId: 'm_1', seq: 6 }));
  });

  it('after a reconnection that replayed nothing, merges the newest page: what was missed once, nothing twice', async () => {
    const { socket } = await openFromRoom();
    serveHistory(socket, { replies: [reply(2), reply(3, { text: 'edited offline', rev: 9 }), reply(5)], topLevel });
    act(() => socket.serverEmit('message:created', reply(5)));
    act(() => useConnectionStore.getState().connected(false));
    await waitFor(() => expect(replyTexts()).toEqual(['reply 2', 'edited offline', 'reply 5']));

    // A recovered connection had its events replayed: nothing is fetched.
    const fetches = socket.requests.length;
    act(() => useConnectionStore.getState().connected(true));
    expect(socket.requests.slice(fetches).filter((r) => r.event === 'message:history')).toEqual([]);
  });

  it('closes with Close thread: the panel and the URL forget it, the focus goes back', async () => {
    await openFromRoom();
    const opener = screen.getByRole('button', { name: 'Open thread m_1' });
    await userEvent.click(within(panel()).getByRole('button', { name: 'Close thread' }));
    expect(screen.queryByRole('complementary', { name: 'Thread' })).toBeNull();
    expect(location()).toBe('/rooms/r_1');
    expect(opener).toHaveFocus();
  });

  it('a deleted root: its replies stay readable, the Reply composer is disabled with a note', async () => {
    await openFromRoom(
      [reply(2), reply(3)],
      [message(1, { deleted: true, text: '', thread: { replyCount: 2, lastReplyAt: null, lastReplySeq: 3 } })],
    );
    expect(within(panel()).getByText('This message was deleted')).toBeInTheDocument();
    expect(replyTexts()).toEqual(['reply 2', 'reply 3']);
    const box = within(panel()).getByRole('textbox', { name: 'Reply' });
    expect(box).toBeDisabled();
    expect(box).toHaveAccessibleDescription('Replies are closed: the message this thread belongs to was deleted.');
    expect(within(panel()).getByRole('button', { name: 'Send reply' })).toBeDisabled();
  });
});

describe('a thread in the URL', () => {
  it('opens again on a reload, fetching a root the room does not hold at its seq', async () => {
    const old = message(3, { text: 'an old root', thread: { replyCount: 1, lastReplyAt: null, lastReplySeq: 80 } });
    stubRoomHistory(Array.from({ length: 50 }, (_, i) => message(i + 100)));
    const { socket } = renderAt(<RoomRoute me={ME} />, '/rooms/r_1?thread=m_3&rootSeq=3', {
      replies: [reply(80, { threadRootId: 'm_3', author: BOB })],
      topLevel: [message(1), message(2), old, message(4)],
    });
    await waitFor(() => expect(replyTexts()).toEqual(['reply 80']));
    expect(await within(panel()).findByText('an old root')).toBeInTheDocument();
    expect(socket.requests).toContainEqual({ event: 'message:history', payload: { roomId: 'r_1', before: 4, limit: 1, topLevel: true } });
    await userEvent.click(within(panel()).getByRole('button', { name: 'Close thread' }));
    expect(location()).toBe('/rooms/r_1');
  });

  it('says so when the root cannot be found', async () => {
    stubRoomHistory([message(4)]);
    renderAt(<RoomRoute me={ME} />, '/rooms/r_1?thread=m_3', { replies: [], topLevel: [message(4)] });
    expect(await within(panel()).findByText('The message this thread belongs to is not available.')).toBeInTheDocument();
    expect(within(panel()).queryByRole('article')).toBeNull();
  });
});

describe('a narrow screen', () => {
  it('shows the thread in place of the room, and the room again when it closes', async () => {
    await openFromRoom();
    expect(screen.getByRole('log', { name: 'Messages' })).toBeInTheDocument();

    setViewportWidth(500);
    expect(screen.queryByRole('log', { name: 'Messages' })).toBeNull();
    expect(screen.queryByRole('heading', { name: '#general' })).toBeNull();
    expect(within(panel()).getByText('message 1')).toBeInTheDocument();
    expect(replyTexts()).toEqual(['reply 2', 'reply 3']);

    setViewportWidth(1024);
    expect(screen.getByRole('log', { name: 'Messages' })).toBeInTheDocument();
    setViewportWidth(500);
    expect(screen.queryByRole('log', { name: 'Messages' })).toBeNull();

    await userEvent.click(within(panel()).getByRole('button', { name: 'Close thread' }));
    expect(await screen.findByRole('log', { name: 'Messages' })).toBeInTheDocument();
    expect(screen.queryByRole('complementary', { name: 'Thread' })).toBeNull();
    expect(location()).toBe('/rooms/r_1');
  });
});
