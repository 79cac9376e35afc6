import { useConnectionStore } from '../lib/connection.store';

const MESSAGES = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting… Messages you send will go out when the connection is back.',
  offline: 'You are offline. Messages you send will go out when you are back online.',
} as const;

/** A status region: quiet while connected, a visible banner otherwise. */
export function ConnectionBanner() {
  const status = useConnectionStore((s) => s.status);
  const visible = status === 'reconnecting' || status === 'offline';
  return (
    <div role="status" className={visible ? 'banner' : 'visually-hidden'}>
      {MESSAGES[status]}
    </div>
  );
}
