import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Socket events keep server data fresh; refetch on reconnect instead of on focus.
        staleTime: Infinity,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => failureCount < 3 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
    },
  });
}
