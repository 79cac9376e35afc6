import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SearchHit } from '@parley/protocol';
import { matchRanges } from '../src/features/search/components/highlight';
import { MessageSearch } from '../src/features/search/components/message-search';
import { message } from './support/fixtures';
import { setup } from './support/render';

const hit = (seq: number, text: string, room: SearchHit['room'] = { id: 'r_1', name: 'general', kind: 'public' }): SearchHit => ({
  message: message(seq, { text, roomId: room.id }),
  room,
});

/** GET /api/search over `hits` (newest first), a page of `limit` before the id given; `fail` answers 500. */
function searchServer(hits: SearchHit[], { fail = false } = {}) {
  const calls: URLSearchParams[] = [];
  const fetchImpl = vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://parley.test');
    if (url.pathname !== '/api/search') return new Response('{}', { status: 404 });
    calls.push(url.searchParams);
    if (fail) return new Response(JSON.stringify({ error: { code: 'INTERNAL', message: 'boom' } }), { status: 500 });
    const q = url.searchParams.get('q')!.toLowerCase();
    const matching = hits.filter((h) => h.message.text.toLowerCase().includes(q));
    const before = url.searchParams.get('before');
    const start = before === null ? 0 : matching.findIndex((h) => h.message.id === before) + 1;
    const limit = Number(url.searchParams.get('limit'));
    return new Response(JSON.stringify({ results: matching.slice(start, start + limit) }), { status: 200 });
  });
  vi.stubGlobal('fetch', fetchImpl);
  return calls;
}

function Location() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

function renderSearch() {
  const { wrapper } = setup({ path: '/' });
  render(
    <>
      <textarea aria-label="Message" />
      <MessageSearch resultHref={({ message: m }) => `/rooms/${m.roomId}?at=${m.seq}`} />
      <Location />
    </>,
    { wrapper },
  );
  return screen.getByRole('searchbox', { name: 'Search messages' });
}

const resultsList = () => screen.findByRole('list', { name: 'Search results' });
const resultLinks = async () => within(await resultsList()).getAllByRole('link');

beforeEach(() => vi.useRealTimers());
afterEach(() => vi.unstubAllGlobals());

describe('matchRanges', () => {
  it('finds every match, ignoring case, in any script', () => {
    expect(matchRanges('Hello hello HELLO', 'hello')).toEqual([
      [0, 5],
      [6, 11],
      [12, 17],
    ]);
    expect(matchRanges('Привет, МИР', 'мир')).toEqual([[8, 11]]);
    expect(matchRanges('東京タワーに行く', '京タワ')).toEqual([[1, 4]]);
    expect(matchRanges('party 🎉🎉 time', '🎉 t')).toEqual([[8, 12]]);
    expect(matchRanges('nothing here', 'xyz')).toEqual([]);
  });

  it('keeps offsets right after a letter whose lowercase is longer', () => {
    expect(matchRanges('İstanbul is big', 'big')).toEqual([[12, 15]]);
  });
});

describe('MessageSearch', () => {
  it('is a search landmark that Ctrl+K, and / outside a text field, focus', async () => {
    renderSearch();
    const box = screen.getByRole('searchbox', { name: 'Search messages' });
    expect(screen.getByRole('search')).toContainElement(box);
    await userEvent.keyboard('{Control>}k{/Control}');
    expect(box).toHaveFocus();
    await userEvent.click(screen.getByRole('textbox', { name: 'Message' }));
    await userEvent.keyboard('/');
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveFocus();
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveValue('/');
    (document.activeElement as HTMLElement).blur();
    await userEvent.keyboard('/');
    expect(box).toHaveFocus();
    expect(box).toHaveValue('');
  });

  it('asks nothing under 3 characters, then searches once typing pauses and highlights the matches', async () => {
    const calls = searchServer([hit(9, 'See you in Tokyo'), hit(3, 'tokyo or bust')]);
    const box = renderSearch();
    await userEvent.type(box, 'to');
    expect(screen.getByText('Type at least 3 characters to search.')).toBeInTheDocument();
    expect(calls).toHaveLength(0);
    await userEvent.type(box, 'kyo');
    const links = await resultLinks();
    expect(calls.map((c) => c.get('q'))).toEqual(['tokyo']);
    expect(within(screen.getByRole('search')).getByRole('status')).toHaveTextContent('2 results');
    expect(links[0]).toHaveTextContent('#general');
    expect(links[0]).toHaveTextContent('bob');
    expect(links[0]!.querySelector('time')).toHaveAttribute('datetime', hit(9, '').message.createdAt);
    expect([...links[0]!.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['Tokyo']);
    expect([...links[1]!.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['tokyo']);
  });

  it('says it is searching until the answer comes', async () => {
    let answer: (response: Response) => void = () => undefined;
    const fetchImpl = vi.fn(() => new Promise<Response>((resolve) => (answer = resolve)));
    vi.stubGlobal('fetch', fetchImpl);
    const box = renderSearch();
    await userEvent.type(box, 'pending');
    const status = within(screen.getByRole('search')).getByRole('status');
    await waitFor(() => expect(fetchImpl).toHaveBeenCalledTimes(1));
    expect(status).toHaveTextContent('Searching…');
    answer(new Response(JSON.stringify({ results: [hit(4, 'still pending here')] }), { status: 200 }));
    expect(await resultLinks()).toHaveLength(1);
    expect(within(screen.getByRole('search')).getByRole('status')).toHaveTextContent('1 result');
  });

  it('says when nothing matches, and when the search failed', async () => {
    searchServer([hit(1, 'hello')]);
    const box = renderSearch();
    await userEvent.type(box, 'absent');
    expect(await screen.findByText('No messages found.')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Search results' })).not.toBeInTheDocument();

    searchServer([], { fail: true });
    await userEvent.clear(box);
    await userEvent.type(box, 'hello');
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not search.');
    searchServer([hit(1, 'hello')]);
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await resultLinks()).toHaveLength(1);
  });

  it('pages with Load more, before the oldest result shown', async () => {
    const hits = Array.from({ length: 25 }, (_, i) => hit(100 - i, `match number ${100 - i}`));
    const calls = searchServer(hits);
    const box = renderSearch();
    await userEvent.type(box, 'match');
    expect(await resultLinks()).toHaveLength(20);
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(async () => expect(await resultLinks()).toHaveLength(25));
    expect(calls.at(-1)?.get('before')).toBe('m_81');
    // The keyboard goes on from the first new result; the last page has no `Load more`.
    await waitFor(async () => expect((await resultLinks())[20]).toHaveFocus());
    expect((await resultLinks())[20]).toHaveTextContent('match number 80');
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('moves through the results with the arrow keys and opens the one chosen', async () => {
    searchServer([hit(9, 'alpha one'), hit(5, 'alpha two'), hit(2, 'alpha three')]);
    const box = renderSearch();
    await userEvent.type(box, 'alpha');
    const links = await resultLinks();
    await userEvent.keyboard('{ArrowDown}');
    expect(links[0]).toHaveFocus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}');
    expect(links[2]).toHaveFocus();
    await userEvent.keyboard('{Home}{ArrowUp}');
    expect(box).toHaveFocus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expect(screen.getByTestId('location')).toHaveTextContent('/rooms/r_1?at=5');
    expect(screen.queryByRole('list', { name: 'Search results' })).not.toBeInTheDocument();
  });

  it('closes the results on Escape, back in the searchbox', async () => {
    searchServer([hit(9, 'alpha one')]);
    const box = renderSearch();
    await userEvent.type(box, 'alpha');
    await resultLinks();
    await userEvent.keyboard('{ArrowDown}{Escape}');
    expect(box).toHaveFocus();
    expect(screen.queryByRole('list', { name: 'Search results' })).not.toBeInTheDocument();
    expect(box).not.toHaveAttribute('aria-controls');
  });
});
