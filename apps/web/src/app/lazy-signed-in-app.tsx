import './zod-jitless';
import { BrowserRouter } from 'react-router';
import type { User } from '@parley/protocol';
import { SignedInApp } from './signed-in-app';

/**
 * The signed-in part of the app as its own chunk, loaded by app.tsx only once someone is signed in:
 * the router, the socket, the stores, IndexedDB and the chat and rooms features. A signed-out visitor
 * downloads the sign-in page and little else.
 */
export function SignedInRoot({ me }: { me: User }) {
  return (
    <BrowserRouter>
      <SignedInApp me={me} />
    </BrowserRouter>
  );
}
