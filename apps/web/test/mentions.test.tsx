import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { User } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useChatStore } from '../src/features/chat/chat.store';
import { Composer } from '../src/features/chat/components/composer';
import { Markdown } from '../src/features/chat/components/markdown';
import { MessageItem } from '../src/features/chat/components/message-item';
import { insertMention, mentionAtCaret, mentionOptions } from '../src/features/chat/mention-completion';
import { BOB, ME, message } from './support/fixtures';
import { renderAs } from './support/message-support';

const CAROL: User = { id: 'u_carol', username: 'carol', displayName: 'Carol C' };
const BORIS: User = { id: 'u_boris', username: 'boris', displayName: '' };

/** GET /api/users?q=&roomId=: the room's members with the prefix. */
function membersServer(members: User[]) {
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://parley.test');
    calls.push(url.pathname + url.search);
    const q = url.searchParams.get('q') ?? '';
    const users = members.filter((u) => u.username.startsWith(q));
    return new Response(JSON.stringify({ users }), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

beforeEach(() => useChatStore.getState().reset());
afterEach(() => vi.unstubAllGlobals());

describe('the mention being typed', () => {
  it('is the @name that ends at the caret, where a mention may start', () => {
    expect(mentionAtCaret('hi @Bo', 6)).toEqual({ start: 3, prefix: 'bo' });
    expect(mentionAtCaret('@', 1)).toEqual({ start: 0, prefix: '' });
    expect(mentionAtCaret('hi @bo there', 12)).toBeNull();
    expect(mentionAtCaret('mail bob@ex', 11)).toBeNull();
    expect(mentionAtCaret('hi @bob and', 7)).toEqual({ start: 3, prefix: 'bob' });
  });

  it('offers members other than me by prefix, then @room to owners and admins', () => {
    const members = [ME, BOB, BORIS];
    expect(mentionOptions(members, 'bo', ME.id, false).map((o) => (o.kind === 'user' ? o.user.username : '@room'))).toEqual([
      'bob',
      'boris',
    ]);
    expect(mentionOptions(members, 'r', ME.id, true)).toEqual([{ kind: 'room' }]);
    expect(mentionOptions(members, 'r', ME.id, false)).toEqual([]);
    expect(mentionOptions(members, '', ME.id, true).map((o) => o.kind)).toEqual(['user', 'user', 'room']);
  });

  it('is replaced by the chosen name and a space, the caret after it', () => {
    expect(insertMention('hi @bo', 3, 6, 'bob')).toEqual({ text: 'hi @bob ', caret: 8 });
    expect(insertMention('hi @b there', 3, 5, 'bob')).toEqual({ text: 'hi @bob there', caret: 8 });
  });
});

describe('@ completion in the composer', () => {
  it('offers the room members in a listbox the textbox controls, chosen with the keyboard', async () => {
    const calls = membersServer([ME, BOB, BORIS, CAROL]);
    const onSend = vi.fn();
    renderAs(<Composer roomId="r_1" onSend={onSend} />);
    const box = screen.getByRole('textbox', { name: 'Message' });
    expect(box).toHaveAttribute('aria-autocomplete', 'list');
    expect(box).not.toHaveAttribute('aria-controls');

    await userEvent.type(box, 'thanks @bo');
    const list = await screen.findByRole('listbox', { name: 'Mention suggestions' });
    expect(box).toHaveAttribute('aria-controls', list.id);
    expect(calls.at(-1)).toBe('/api/users?q=bo&roomId=r_1');
    const options = within(list).getAllByRole('option');
    // Each with its avatar (initials, hidden from screen readers) before the name.
    expect(options.map((o) => o.textContent)).toEqual(['BO@bob', 'BO@boris']);
    expect(options[0]).toHaveAttribute('aria-selected', 'true');
    expect(box).toHaveAttribute('aria-activedescendant', options[0]!.id);

    await userEvent.keyboard('{ArrowDown}');
    expect(within(list).getAllByRole('option')[1]).toHaveAttribute('aria-selected', 'true');
    await userEvent.keyboard('{Enter}');
    // Enter chose (and sent nothing); the list is gone.
    expect(box).toHaveValue('thanks @boris ');
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(box).not.toHaveAttribute('aria-controls');

    await userEvent.type(box, 'and @ca');
    await userEvent.click(await screen.findByRole('option', { name: /@carol/ }));
    expect(box).toHaveValue('thanks @boris and @carol ');
    await userEvent.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledWith('thanks @boris and @carol ', []);

    // A name typed in full, the list still showing it: Enter sends (Tab would still complete).
    await userEvent.type(box, 'ask @bob');
    expect(await screen.findByRole('option', { name: /@bob/ })).toHaveAttribute('aria-selected', 'true');
    await userEvent.keyboard('{Enter}');
    expect(onSend).toHaveBeenLastCalledWith('ask @bob', []);
  });

  it('closes on Escape until another mention is started, and offers nothing for a name nobody has', async () => {
    membersServer([ME, BOB]);
    renderAs(<Composer roomId="r_1" onSend={vi.fn()} />);
    const box = screen.getByRole('textbox', { name: 'Message' });
    await userEvent.type(box, '@b');
    await screen.findByRole('listbox');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).toBeNull();
    await userEvent.type(box, 'o');
    expect(screen.queryByRole('listbox')).toBeNull();
    await userEvent.type(box, ' @zz');
    await waitFor(() => expect(screen.queryByRole('listbox')).toBeNull());
    await userEvent.type(box, '{Backspace}{Backspace}b');
    expect(await screen.findByRole('option', { name: /@bob/ })).toBeInTheDocument();
  });

  it('offers @room to an owner only', async () => {
    membersServer([ME, BOB]);
    renderAs(<Composer roomId="r_1" onSend={vi.fn()} />, { role: 'owner' });
    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), '@r');
    expect(await screen.findByRole('option', { name: /@room/ })).toBeInTheDocument();
  });
});

describe('mentions of me in a message', () => {
  it('are marked, the sentence punctuation and other names left alone', () => {
    render(<Markdown text="hey @me. and @bob, also @room and *@me*" mentionsOf="me" />);
    expect(screen.getAllByRole('mark').map((m) => m.textContent)).toEqual(['@me', '@room', '@me']);
    render(<Markdown text="no marks for @me here" />);
    expect(screen.getAllByRole('mark')).toHaveLength(3);
  });

  it('mark the message when it mentions me, and only then', () => {
    renderAs(
      <>
        <MessageItem message={message(1, { text: 'ping @me', mentions: [ME.id] })} mine={false} />
        <MessageItem message={message(2, { text: 'talking about @me, not to', mentions: [] })} mine={false} />
      </>,
    );
    const [first, second] = screen.getAllByRole('article');
    expect(within(first!).getByRole('mark')).toHaveTextContent('@me');
    expect(first).toHaveClass('message--mentions-me');
    expect(within(second!).queryByRole('mark')).toBeNull();
    expect(second).not.toHaveClass('message--mentions-me');
  });
});
