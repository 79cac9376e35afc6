import { useEffect, useState } from 'react';
import type { ServerInfo } from '@parley/protocol';
import { pageBuild } from '../lib/socket';
import { useSocket } from '../lib/socket-context';
import './update-banner.css';

/** The connect_error of a server that no longer speaks this page's protocol version. */
const UNSUPPORTED_PROTOCOL = 'UNSUPPORTED_PROTOCOL';

/**
 * Whether the server now serves another web build than this page's (a deploy happened while the
 * tab was open), or no longer speaks its protocol. Told again on every connection, so a server
 * that goes back to this page's build hides the banner. Under `vite serve` the page is `dev` and
 * reloads itself: never stale by build.
 */
function useNewVersionAvailable(): boolean {
  const socket = useSocket();
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    const own = pageBuild();
    const onInfo = ({ build }: ServerInfo) => setAvailable(own !== null && own !== 'dev' && build !== null && build !== own);
    const onError = (error: Error) => {
      if (error.message === UNSUPPORTED_PROTOCOL) setAvailable(true);
    };
    socket.on('server:info', onInfo);
    socket.on('connect_error', onError);
    return () => {
      socket.off('server:info', onInfo);
      socket.off('connect_error', onError);
    };
  }, [socket]);
  return available;
}

/** A status region, empty until the server runs a newer Parley than this tab; then it offers a reload. */
export function UpdateBanner() {
  const available = useNewVersionAvailable();
  return (
    <div role="status" className={available ? 'banner update-banner' : 'visually-hidden'}>
      {available && (
        <>
          <span>A new version of Parley is available</span>
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </>
      )}
    </div>
  );
}
