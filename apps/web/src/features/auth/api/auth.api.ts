import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { AuthResult, SessionResult, User } from '@parley/protocol';
import { apiFetch } from '../../../lib/api';
import { sharedKeys } from '../../../lib/query-keys';
import { endSession } from '../../../lib/session';

/**
 * The signed-in user, or null. The session itself is an HttpOnly cookie; /api/auth/session answers
 * 200 either way, so a signed-out page load shows no failed request.
 */
export const meQueryOptions = queryOptions({
  queryKey: sharedKeys.me,
  queryFn: async (): Promise<User | null> => (await apiFetch<SessionResult>('/api/auth/session')).user,
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
    onSettled: () => endSession(queryClient),
  });
}
