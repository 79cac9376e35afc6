import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

interface NotificationsState {
  /**
   * The `Desktop notifications` switch: on only once the browser granted the permission. Kept per
   * browser (localStorage), as the permission is.
   */
  enabled: boolean;
  setEnabled(enabled: boolean): void;
}

export const useNotificationsStore = create<NotificationsState>()(
  persist((set) => ({ enabled: false, setEnabled: (enabled) => set({ enabled }) }), {
    name: 'parley.notifications',
    storage: createJSONStorage(() => localStorage),
    partialize: ({ enabled }) => ({ enabled }),
  }),
);

/** The Notifications API, when this browser has one. */
export function notificationApi(): typeof Notification | undefined {
  return typeof window !== 'undefined' && 'Notification' in window ? window.Notification : undefined;
}
