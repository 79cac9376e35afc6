import { useEffect } from 'react';
import { useChatStore } from '../chat.store';
import { OutboxDb } from '../outbox.db';

/**
 * Keeps the signed-in user's outbox in IndexedDB: what was pending or failed when the page was
 * last closed comes back (and is sent again) on the next start; every change is written through.
 */
export function usePersistentOutbox(userId: string): void {
  useEffect(() => {
    let ended = false;
    let db: OutboxDb | undefined;
    OutboxDb.open(userId)
      .then(async (opened) => {
        db = opened;
        const saved = await opened.all();
        if (ended) return opened.close();
        useChatStore.getState().restore(saved, opened);
      })
      .catch((error: unknown) =>
        console.warn('Parley could not open the outbox in this browser; unsent messages will not survive a reload', error),
      );
    return () => {
      ended = true;
      db?.close();
    };
  }, [userId]);
}
