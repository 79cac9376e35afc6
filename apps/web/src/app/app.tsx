import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { Component, Suspense, lazy, useEffect, useState, type ReactNode } from 'react';
import type { User } from '@parley/protocol';
import { meQueryOptions } from '../features/auth/api/auth.api';
import { SignInPage } from '../features/auth/components/sign-in-page';
import { createQueryClient } from '../lib/query-client';

const loadSignedInApp = () => import('./lazy-signed-in-app');
const SignedInRoot = lazy(() => loadSignedInApp().then((module) => ({ default: module.SignedInRoot })));

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <Gate />
    </QueryClientProvider>
  );
}

/** Signed in: the app (its own chunk); signed out: the sign-in page (deep links survive it: it keeps the URL). */
function Gate() {
  const session = useQuery(meQueryOptions);
  useWarmSignedInApp(session.data);

  if (session.isPending) return <Loading />;
  if (session.isError) {
    return (
      <p role="alert" className="error center">
        Parley cannot be reached. <button onClick={() => void session.refetch()}>Try again</button>
      </p>
    );
  }
  if (!session.data) return <SignInPage />;
  return (
    <ChunkLoadBoundary>
      <Suspense fallback={<Loading />}>
        <SignedInRoot key={session.data.id} me={session.data} />
      </Suspense>
    </ChunkLoadBoundary>
  );
}

const SIGNED_IN_HINT = 'parley:signed-in';

/**
 * Starts downloading the signed-in app before it is rendered: at once for someone who was signed in
 * last time (in parallel with the session check, not after it), and for someone signed out as soon
 * as they start on the sign-in form.
 */
function useWarmSignedInApp(me: User | null | undefined) {
  useEffect(() => {
    if (readHint()) warm();
  }, []);
  useEffect(() => {
    if (me === undefined) return;
    writeHint(me !== null);
    if (me !== null) return;
    document.addEventListener('focusin', warm, { once: true });
    return () => document.removeEventListener('focusin', warm);
  }, [me]);
}

function warm() {
  // A failure shows when the app is rendered (ChunkLoadBoundary); nothing to do here.
  loadSignedInApp().catch(() => undefined);
}

function readHint(): boolean {
  try {
    return localStorage.getItem(SIGNED_IN_HINT) === '1';
  } catch {
    return false;
  }
}

function writeHint(signedIn: boolean): void {
  try {
    if (signedIn) localStorage.setItem(SIGNED_IN_HINT, '1');
    else localStorage.removeItem(SIGNED_IN_HINT);
  } catch {
    // Storage off (private mode, quota): only the head start is lost.
  }
}

function Loading() {
  return <p className="muted center">Loading…</p>;
}

/** The app's chunk did not load (offline, or a new version replaced it), or it failed: say so, not a blank page. */
class ChunkLoadBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <p role="alert" className="error center">
        Parley could not be loaded. <button onClick={() => window.location.reload()}>Reload</button>
      </p>
    );
  }
}
