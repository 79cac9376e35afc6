import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { AuthResult, User } from '@parley/protocol';
import { ApiError, apiFetch } from '../../../lib/api';
import { sharedKeys } from '../../../lib/query-keys';

/** The signed-in user, or null. The session itself is an HttpOnly cookie. */
export const meQueryOptions = queryOptions({
  queryKey: sharedKeys.me,
  queryFn: async (): Promise<User | null> => {
    try {
      return (await apiFetch<{ user: User }>('/api/me')).user;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
});

interface Credentials {
  username: string;
  password: string;
}

export function useAuthenticate(mode: 'login' | 'register') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: Credentials) => apiFetch<AuthResult>(`/api/auth/${mode}`, { method: 'POST', body: credentials }),
    onSuccess: ({ user }) => {
      queryClient.setQueryData(sharedKeys.me, user);
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<void>('/api/auth/logout', { method: 'POST' }),
    onSettled: () => {
      // Signed out first (the signed-in app unmounts and closes its socket), then forget its data.
      queryClient.setQueryData(sharedKeys.me, null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sharedKeys.me[0] });
    },
  });
}
