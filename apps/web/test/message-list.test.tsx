import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { VirtuosoMockContext } from 'react-virtuoso';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutgoingMessage } from '../src/features/chat/chat.store';
import { MessageList } from '../src/features/chat/components/message-list';
import { BOB, ME, message } from './support/fixtures';
import { setup } from './support/render';

/** The app's providers (query client, socket), made anew for each test. */
let Providers: ReturnType<typeof setup>['wrapper'];
beforeEach(() => {
  Providers = setup().wrapper;
});

/** happy-dom has no layout: Virtuoso is told the sizes (a 600 px view, 50 px rows). */
const sized = ({ children }: { children: ReactNode }) => (
  <Providers>
    <VirtuosoMockContext.Provider value={{ viewportHeight: 600, itemHeight: 50 }}>{children}</VirtuosoMockContext.Provider>
  </Providers>
);

const props = {
  meId: ME.id,
  me: ME,
  hasOlder: false,
  pending: [] as OutgoingMessage[],
  onLoadOlder: async () => undefined,
  onRetry: () => undefined,
  onAtBottomChange: () => undefined,
};

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => message(from + i));
const log = () => screen.getByRole('log', { name: 'Messages' });
const articles = async () => within(log()).findAllByRole('article');
const seqsShown = () =>
  within(log())
    .queryAllByRole('article')
    .map((a) => Number(a.getAttribute('data-seq')));

describe('MessageList', () => {
  it('keeps only the rows near the view in the DOM, the newest last', async () => {
    render(<MessageList {...props} hasOlder messages={range(501, 1000)} />, { wrapper: sized });
    await articles();
    const shown = seqsShown();
    expect(shown.at(-1)).toBe(1000);
    expect(shown).toEqual(range(shown[0]!, 1000).map((m) => m.seq));
    expect(shown.length).toBeLessThan(60);
    expect(screen.getByText('Loading older messages…')).toBeInTheDocument();
    expect(screen.queryByText('This is the beginning of the room.')).toBeNull();
  });

  it('shows sent messages with their author, then pending and failed ones with a retry', async () => {
    const onRetry = vi.fn();
    const pending = [
      { clientMsgId: 'p1', roomId: 'r_1', text: 'on its way', createdAt: '', status: 'pending' as const },
      {
        clientMsgId: 'p2',
        roomId: 'r_1',
        text: 'did not make it',
        createdAt: '',
        status: 'failed' as const,
        error: 'Parley could not store it.',
      },
    ];
    render(
      <MessageList {...props} messages={[message(1), message(2, { author: ME, text: 'mine' })]} pending={pending} onRetry={onRetry} />,
      {
        wrapper: sized,
      },
    );
    const shown = await articles();
    // Each after its author's avatar (initials): BO for bob, ME for me.
    expect(shown.map((a) => a.textContent)).toEqual([
      expect.stringMatching(/^BObob.*message 1$/),
      expect.stringMatching(/^MEme.*mine$/),
      expect.stringMatching(/^MEmeSending….*on its way$/),
      expect.stringMatching(/^MEmeNot sent.*did not make it.*Parley could not store it\. Retry$/),
    ]);
    expect(screen.getByText('This is the beginning of the room.')).toBeInTheDocument();
    await userEvent.click(within(shown[3]!).getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledWith('p2');
  });

  it('keeps thread replies out of the main view, pending ones included', async () => {
    const pending = [
      { clientMsgId: 'p1', roomId: 'r_1', text: 'to the room', createdAt: '', status: 'pending' as const },
      { clientMsgId: 'p2', roomId: 'r_1', text: 'to a thread', threadRootId: 'm_1', createdAt: '', status: 'pending' as const },
    ];
    render(<MessageList {...props} messages={[message(1), message(3)]} pending={pending} />, { wrapper: sized });
    const shown = await articles();
    expect(shown.map((a) => a.querySelector('.message__text')!.textContent)).toEqual(['message 1', 'message 3', 'to the room']);
  });

  it('separates days', async () => {
    const day1 = { ...message(1), createdAt: '2026-11-22T12:00:00.000Z' };
    const day2 = { ...message(2), createdAt: '2026-11-23T12:00:00.000Z' };
    render(<MessageList {...props} messages={[day1, day2, message(3)]} />, { wrapper: sized });
    await articles();
    expect(screen.getAllByRole('separator')).toHaveLength(2);
  });

  it('puts no day above the oldest row held while older history is still to come', async () => {
    const day1 = { ...message(51), createdAt: '2026-11-22T12:00:00.000Z' };
    const day2 = { ...message(52), createdAt: '2026-11-23T12:00:00.000Z' };
    render(<MessageList {...props} hasOlder messages={[day1, day2, message(53)]} />, { wrapper: sized });
    await articles();
    // Message 50 may be of the same day: a separator that went away when it came in would move the reader.
    expect(screen.getAllByRole('separator')).toHaveLength(1);
  });

  it('invites the first message in an empty room', () => {
    render(<MessageList {...props} messages={[]} />, { wrapper: sized });
    expect(screen.getByText('No messages yet. Say hello!')).toBeInTheDocument();
    expect(screen.queryByText('This is the beginning of the room.')).toBeNull();
  });

  it('asks for the older page once its oldest rows are near the view, and says it is busy meanwhile', async () => {
    let finish = () => undefined as void;
    const onLoadOlder = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    render(<MessageList {...props} hasOlder messages={range(91, 100)} onLoadOlder={onLoadOlder} />, { wrapper: sized });
    await waitFor(() => expect(onLoadOlder).toHaveBeenCalledTimes(1));
    expect(log()).toHaveAttribute('aria-busy', 'true');
    finish();
    await waitFor(() => expect(log()).toHaveAttribute('aria-busy', 'false'));
  });

  it('opens at a given message when the window holds it', async () => {
    const onAtBottomChange = vi.fn();
    render(<MessageList {...props} messages={range(1, 300)} initialSeq={40} onAtBottomChange={onAtBottomChange} />, {
      wrapper: sized,
    });
    await articles();
    expect(seqsShown()).toContain(40);
    expect(seqsShown()).not.toContain(300);
    expect(onAtBottomChange).toHaveBeenLastCalledWith(false);
    expect(screen.getByRole('button', { name: 'Jump to newest' })).toBeInTheDocument();
  });

  it('counts new messages from others beyond a trimmed newest end, and jumps by replacing the window', async () => {
    const onShowNewest = vi.fn(async () => undefined);
    const view = { ...props, hasOlder: true, hasNewer: true, initialSeq: 150, onShowNewest, onLoadNewer: async () => undefined };
    const { rerender } = render(<MessageList {...view} messages={range(101, 400)} skipped={[]} />, { wrapper: sized });
    await articles();
    rerender(
      <MessageList
        {...view}
        messages={range(101, 400)}
        skipped={[
          { seq: 500, authorId: BOB.id },
          { seq: 501, authorId: ME.id },
          { seq: 502, authorId: BOB.id },
        ]}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: '2 new messages' }));
    expect(onShowNewest).toHaveBeenCalledTimes(1);
  });

  it('shows a send of mine at once: with the newest end trimmed, the newest page is fetched', async () => {
    const onShowNewest = vi.fn(async () => undefined);
    const view = { ...props, hasNewer: true, initialSeq: 10, onShowNewest, onLoadNewer: async () => undefined, messages: range(1, 300) };
    const { rerender } = render(<MessageList {...view} />, { wrapper: sized });
    await articles();
    expect(onShowNewest).not.toHaveBeenCalled();
    rerender(<MessageList {...view} pending={[{ clientMsgId: 'p1', roomId: 'r_1', text: 'hi', createdAt: '', status: 'pending' }]} />);
    await waitFor(() => expect(onShowNewest).toHaveBeenCalledTimes(1));
  });
});
