import { useEffect } from 'react';
import { useChatStore } from '../chat.store';
import { OutboxDb } from '../outbox.db';

/**
 * Keeps the signed-in user's outbox in IndexedDB: sends that were pending or failed, and edits,
 * deletes and reactions not acknowledged, when the page was last closed come back (and are sent
 * again, in the order made) on the next start, and so do the composers' drafts; every change to
 * the outbox and the drafts is written through.
 */
export function usePersistentOutbox(userId: string): void {
  useEffect(() => {
    let ended = false;
    let db: OutboxDb | undefined;
    OutboxDb.open(userId)
      .then(async (opened) => {
        db = opened;
        const [saved, savedChanges, savedDrafts] = await Promise.all([opened.all(), opened.allChanges(), opened.allDrafts()]);
        if (ended) return opened.close();
        useChatStore.getState().restore(saved, opened, savedChanges, savedDrafts);
      })
      .catch((error: unknown) =>
        console.warn('Parley could not open the outbox in this browser; unsent messages and changes will not survive a reload', error),
      );
    return () => {
      ended = true;
      db?.close();
    };
  }, [userId]);
}
