import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { BrowserRouter } from 'react-router';
import { meQueryOptions } from '../features/auth/api/auth.api';
import { SignInPage } from '../features/auth/components/sign-in-page';
import { createQueryClient } from '../lib/query-client';
import { SignedInApp } from './signed-in-app';

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Gate />
      </BrowserRouter>
    </QueryClientProvider>
  );
}

/** Signed in: the app; signed out: the sign-in page (deep links survive it). */
function Gate() {
  const me = useQuery(meQueryOptions);
  if (me.isPending) return <p className="muted center">Loading…</p>;
  if (me.isError) {
    return (
      <p role="alert" className="error center">
        Parley cannot be reached. <button onClick={() => void me.refetch()}>Try again</button>
      </p>
    );
  }
  if (!me.data) return <SignInPage />;
  return <SignedInApp key={me.data.id} me={me.data} />;
}
