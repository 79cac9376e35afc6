import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { PersonName } from '../../../lib/person';
import { formatFullTime, formatShortTime } from '../../../lib/short-time';
import { searchQueryOptions, type SearchResult } from '../api/search.api';
import { Highlighted } from './highlight';

interface Props {
  /** What to search for (already trimmed and long enough), or null while what is typed is too short. */
  query: string | null;
  /** Typing has not paused yet: a search is about to be sent. */
  typing: boolean;
  resultHref: (result: SearchResult) => string;
  onChoose: () => void;
  /** Escape in the list. */
  onEscape: () => void;
  /** The Up arrow on the first result. */
  onBeforeFirst: () => void;
}

/** The results panel: a status line, the list named `Search results`, and `Load more`. */
export function SearchResults({ query, typing, resultHref, onChoose, onEscape, onBeforeFirst }: Props) {
  const search = useInfiniteQuery({ ...searchQueryOptions(query ?? ''), enabled: query !== null });
  const results = search.data?.pages.flat() ?? [];
  const waiting = typing || (query !== null && search.isPending);

  // After `Load more`, the focus goes to the first result of the new page.
  const list = useRef<HTMLUListElement>(null);
  const focusOnLoad = useRef<number | null>(null);
  useEffect(() => {
    const index = focusOnLoad.current;
    if (index === null || results.length <= index) return;
    focusOnLoad.current = null;
    list.current?.querySelectorAll<HTMLElement>('[data-search-result]')[index]?.focus();
  }, [results.length]);
  const loadMore = () => {
    if (search.isFetchingNextPage) return;
    focusOnLoad.current = results.length;
    void search.fetchNextPage();
  };

  let status: string;
  if (waiting) status = 'Searching…';
  else if (query === null) status = 'Type at least 3 characters to search.';
  else if (results.length === 0) status = search.isError ? '' : 'No messages found.';
  else status = results.length === 1 ? '1 result' : `${results.length}${search.hasNextPage ? '+' : ''} results`;

  return (
    <>
      <p role="status" className="muted small message-search__status">
        {status}
      </p>
      {search.isError && !waiting && (
        <p role="alert" className="error small">
          Could not search.{' '}
          <button type="button" className="link" onClick={() => void search.refetch()}>
            Try again
          </button>
        </p>
      )}
      {!waiting && results.length > 0 && query !== null && (
        <ul
          ref={list}
          aria-label="Search results"
          className="message-search__results"
          onKeyDown={(e) => moveFocus(e, onEscape, onBeforeFirst)}
        >
          {results.map((result) => (
            <li key={result.message.id}>
              <ResultLink result={result} query={query} href={resultHref(result)} onChoose={onChoose} />
            </li>
          ))}
        </ul>
      )}
      {/* Never disabled while loading: it keeps the focus until the new results take it. */}
      {!waiting && search.hasNextPage && (
        <button type="button" className="message-search__more" aria-disabled={search.isFetchingNextPage} onClick={loadMore}>
          Load more
        </button>
      )}
    </>
  );
}

const ROOM_SIGIL = { public: '#', private: '🔒 ', dm: '@' } as const;

function ResultLink({ result, query, href, onChoose }: { result: SearchResult; query: string; href: string; onChoose: () => void }) {
  const { message, room } = result;
  return (
    <Link to={href} className="search-result" data-search-result="" onClick={onChoose}>
      <span className="search-result__meta">
        <span className="search-result__room">
          {ROOM_SIGIL[room.kind]}
          {room.name}
        </span>
        <span className="search-result__author">
          <PersonName user={message.author} />
        </span>
        <time className="muted small" dateTime={message.createdAt} title={formatFullTime(message.createdAt)}>
          {formatShortTime(message.createdAt)}
        </time>
      </span>
      <span className="search-result__text">
        {message.threadRootId && <span className="muted small">In a thread: </span>}
        <Highlighted text={message.text} query={query} />
      </span>
    </Link>
  );
}

/** Up and Down (Home and End) move between the results; Escape goes back to the searchbox. */
function moveFocus(event: KeyboardEvent<HTMLUListElement>, onEscape: () => void, onBeforeFirst: () => void) {
  const links = [...event.currentTarget.querySelectorAll<HTMLElement>('[data-search-result]')];
  const index = links.indexOf(document.activeElement as HTMLElement);
  let next: number;
  if (event.key === 'ArrowDown') next = Math.min(index + 1, links.length - 1);
  else if (event.key === 'ArrowUp') next = index - 1;
  else if (event.key === 'Home') next = 0;
  else if (event.key === 'End') next = links.length - 1;
  else if (event.key === 'Escape') {
    event.preventDefault();
    onEscape();
    return;
  } else return;
  event.preventDefault();
  if (next < 0) onBeforeFirst();
  else links[next]?.focus();
}
