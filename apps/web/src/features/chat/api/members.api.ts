import { queryOptions } from '@tanstack/react-query';
import type { User } from '@parley/protocol';
import { apiFetch } from '../../../lib/api';

/** Members of a room whose username starts with `prefix` (at most 20, by username): the `@` completion's candidates. */
export const memberSearchQueryOptions = (roomId: string, prefix: string) =>
  queryOptions({
    queryKey: ['members', roomId, 'prefix', prefix] as const,
    queryFn: async () => (await apiFetch<{ users: User[] }>(`/api/users?${new URLSearchParams({ q: prefix, roomId }).toString()}`)).users,
    staleTime: 30_000,
  });
