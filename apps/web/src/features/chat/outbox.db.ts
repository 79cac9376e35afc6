import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OutgoingMessage, OutboxPersistence, PendingChange } from './chat.store';

interface OutboxSchema extends DBSchema {
  outbox: { key: string; value: OutgoingMessage };
  /** Since version 2: edits, deletes and reactions not acknowledged yet. */
  changes: { key: string; value: PendingChange };
  /** Since version 3: each composer's draft, by room id (or `thread:<rootId>`). */
  drafts: { key: string; value: Draft };
}

/** A composer's text not sent yet. */
export interface Draft {
  key: string;
  text: string;
}

/** Version 1: sends only. Version 2: also changes (edits, deletes, reactions). Version 3: also drafts. */
export const OUTBOX_DB_VERSION = 3;

/** One database per user, so a shared browser never sends one person's messages as another. */
export function outboxDbName(userId: string): string {
  return `parley-outbox-${userId}`;
}

/**
 * The outbox in IndexedDB: unacknowledged sends and changes survive a reload or a closed tab and
 * are sent again (sends with the same clientMsgId) when the app starts. Keys are UUIDv7 ids (made
 * monotonic), so reading them back in key order gives the order they were made. Upgrading from
 * version 1 adds the changes store and keeps every pending send; version 3 adds the drafts
 * store and keeps both.
 */
export class OutboxDb implements OutboxPersistence {
  private constructor(private readonly db: IDBPDatabase<OutboxSchema>) {}

  static async open(userId: string): Promise<OutboxDb> {
    const db = await openDB<OutboxSchema>(outboxDbName(userId), OUTBOX_DB_VERSION, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) database.createObjectStore('outbox', { keyPath: 'clientMsgId' });
        if (oldVersion < 2) database.createObjectStore('changes', { keyPath: 'id' });
        if (oldVersion < 3) database.createObjectStore('drafts', { keyPath: 'key' });
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

  /** The drafts kept, by key (none is empty). */
  async allDrafts(): Promise<Record<string, string>> {
    const drafts = await this.db.getAll('drafts');
    return Object.fromEntries(drafts.map((d) => [d.key, d.text]));
  }

  saveDraft(key: string, text: string): Promise<void> {
    return text === '' ? this.db.delete('drafts', key) : this.db.put('drafts', { key, text }).then(() => undefined);
  }

  close(): void {
    this.db.close();
  }
}
