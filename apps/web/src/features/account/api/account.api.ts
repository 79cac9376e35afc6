import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { User } from '@parley/protocol';
import { apiFetch } from '../../../lib/api';
import { usePeopleStore } from '../../../lib/people.store';
import { endSession } from '../../../lib/session';
import { sharedKeys } from '../../../lib/query-keys';

/** PATCH /api/me: my display name ('' shows my username). The answer is me as now shown everywhere. */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (displayName: string) => apiFetch<{ user: User }>('/api/me', { method: 'PATCH', body: { displayName } }),
    onSuccess: ({ user }) => {
      queryClient.setQueryData<User | null>(sharedKeys.me, user);
      // Shown on my messages at once, before (or without) my own `user:updated`.
      usePeopleStore.getState().heard(user);
    },
  });
}

/** POST /api/me/password: my other sessions end (this one stays signed in). */
export function useChangePassword() {
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) =>
      apiFetch<void>('/api/me/password', { method: 'POST', body: input }),
  });
}

/** DELETE /api/me: the account is gone, and so is this session: the app shows the sign-in page. */
export function useDeleteAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (password: string) => apiFetch<void>('/api/me', { method: 'DELETE', body: { password } }),
    onSuccess: () => endSession(queryClient),
  });
}
