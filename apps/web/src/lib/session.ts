import type { QueryClient } from '@tanstack/react-query';
import { sharedKeys } from './query-keys';

/**
 * This session is over (signed out, here or by the server): the sign-in page shows (the signed-in
 * app unmounts and closes its socket), then everything fetched as that user is forgotten.
 */
export function endSession(queryClient: QueryClient): void {
  queryClient.setQueryData(sharedKeys.me, null);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sharedKeys.me[0] });
}
