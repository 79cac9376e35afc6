import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OutgoingMessage, OutboxPersistence, PendingChange } from './chat.store';

interface OutboxSchema extends DBSchema {
  outbox: { key: string; value: OutgoingMessage };
  /** Since version 2: edits, deletes and reactions not acknowledged yet. */
  changes: { key: string; value: PendingChange };
}

/** Version 1: sends only. Version 2: also changes (edits, deletes, reactions). */
export const OUTBOX_DB_VERSION = 2;

/** One database per user, so a shared browser never sends one person's messages as another. */
export function outboxDbName(userId: string): string {
  return `parley-outbox-${userId}`;
}

/**
 * The outbox in IndexedDB: unacknowledged sends and changes survive a reload or a closed tab and
 * are sent again (sends with the same clientMsgId) when the app starts. Keys are UUIDv7 ids (made
 * monotonic), so reading them back in key order gives the order they were made. Upgrading from
 * version 1 adds the changes store and keeps every pending send.
 */
export class OutboxDb implements OutboxPersistence {
  private constructor(private readonly db: IDBPDatabase<OutboxSchema>) {}

  static async open(userId: string): Promise<OutboxDb> {
    const db = await openDB<OutboxSchema>(outboxDbName(userId), OUTBOX_DB_VERSION, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) database.createObjectStore('outbox', { keyPath: 'clientMsgId' });
        if (oldVersion < 2) database.createObjectStore('changes', { keyPath: 'id' });
      },
    });
    return new OutboxDb(db);
  }

  all(): Promise<OutgoingMessage[]> {
    return this.db.getAll('outbox');
  }

  allChanges(): Promise<PendingChange[]> {
    return this.db.getAll('changes');
  }

  save(message: OutgoingMessage): Promise<void> {
    return this.db.put('outbox', message).then(() => undefined);
  }

  remove(clientMsgId: string): Promise<void> {
    return this.db.delete('outbox', clientMsgId);
  }

  saveChange(change: PendingChange): Promise<void> {
    return this.db.put('changes', change).then(() => undefined);
  }

  removeChange(id: string): Promise<void> {
    return this.db.delete('changes', id);
  }

  close(): void {
    this.db.close();
  }
}
