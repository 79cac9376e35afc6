import { useState } from 'react';
import { notificationApi, useNotificationsStore } from '../notifications.store';
import './notifications-switch.css';

/**
 * `Desktop notifications`: a switch that asks the browser for the permission when turned on (never
 * on load). Absent where the browser has no Notifications API.
 */
export function NotificationsSwitch() {
  const api = notificationApi();
  const enabled = useNotificationsStore((s) => s.enabled);
  const setEnabled = useNotificationsStore((s) => s.setEnabled);
  const [blocked, setBlocked] = useState(false);
  if (!api) return null;
  const on = enabled && api.permission === 'granted';

  const toggle = async () => {
    if (on) {
      setEnabled(false);
      return;
    }
    const permission = api.permission === 'granted' ? 'granted' : await api.requestPermission();
    setBlocked(permission !== 'granted');
    setEnabled(permission === 'granted');
  };

  return (
    <span className="notifications-switch">
      <button type="button" role="switch" aria-checked={on} className="switch" title="Desktop notifications" onClick={() => void toggle()}>
        <span className="switch__label">Desktop notifications</span>
      </button>
      <span role="status" className="small error">
        {blocked ? 'Notifications are blocked: allow them for this site in the browser.' : ''}
      </span>
    </span>
  );
}
