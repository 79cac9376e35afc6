// GET /api/search (CONTRACT.md): the fetcher, its query key and its paged query.
import { infiniteQueryOptions } from '@tanstack/react-query';
import { SEARCH_LIMITS, type SearchHit } from '@parley/protocol';
import { apiFetch } from '../../../lib/api';

export const SEARCH_PAGE_SIZE = SEARCH_LIMITS.limitDefault;

/** One match: the message as it is now, and the room it is in (a DM named as I see it). */
export type SearchResult = SearchHit;

export const searchKeys = {
  all: ['search'] as const,
  query: (q: string) => ['search', q] as const,
};

/** The text to search for: trimmed, cut to the contract's longest `q`; null while too short to ask. */
export function searchableQuery(input: string): string | null {
  const codePoints = [...input.trim()];
  if (codePoints.length < SEARCH_LIMITS.queryMin) return null;
  return codePoints.slice(0, SEARCH_LIMITS.queryMax).join('');
}

export function fetchSearchPage(q: string, before?: string): Promise<SearchResult[]> {
  const params = new URLSearchParams({ q, limit: String(SEARCH_PAGE_SIZE) });
  if (before !== undefined) params.set('before', before);
  return apiFetch<{ results: SearchResult[] }>(`/api/search?${params}`).then((r) => r.results);
}

/**
 * The matches for `q`, newest first, a page at a time (`before` the oldest shown). Never kept fresh by
 * the socket, so asked again each time it is searched (edits and deletes show at once), and dropped
 * soon after nobody looks at it.
 */
export const searchQueryOptions = (q: string) =>
  infiniteQueryOptions({
    queryKey: searchKeys.query(q),
    queryFn: ({ pageParam }) => fetchSearchPage(q, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => (page.length === SEARCH_PAGE_SIZE ? page.at(-1)?.message.id : undefined),
    staleTime: 0,
    gcTime: 30_000,
  });
