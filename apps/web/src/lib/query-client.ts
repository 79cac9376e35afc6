import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api';
import { sharedKeys } from './query-keys';
import { endSession } from './session';

/**
 * The query client. A 401 from any call made while signed in means the session is over (ended
 * by the server: signed out elsewhere, a password change, the account deleted): the sign-in page shows.
 */
export function createQueryClient(): QueryClient {
  const sessionEnded = (error: Error) => {
    if (error instanceof ApiError && error.status === 401 && client.getQueryData(sharedKeys.me)) endSession(client);
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: sessionEnded }),
    mutationCache: new MutationCache({ onError: sessionEnded }),
    defaultOptions: {
      queries: {
        // Socket events keep server data fresh; refetch on reconnect instead of on focus.
        staleTime: Infinity,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => failureCount < 3 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
    },
  });
  return client;
}
