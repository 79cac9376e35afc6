import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OutgoingMessage, OutboxPersistence } from './chat.store';

interface OutboxSchema extends DBSchema {
  outbox: { key: string; value: OutgoingMessage };
}

/** One database per user, so a shared browser never sends one person's messages as another. */
export function outboxDbName(userId: string): string {
  return `parley-outbox-${userId}`;
}

/**
 * The outbox in IndexedDB: unacknowledged sends survive a reload or a closed tab and are sent
 * again, with the same clientMsgId, when the app starts. Keys are clientMsgIds (UUIDv7, made
 * monotonic), so reading them back in key order gives the order they were typed.
 */
export class OutboxDb implements OutboxPersistence {
  private constructor(private readonly db: IDBPDatabase<OutboxSchema>) {}

  static async open(userId: string): Promise<OutboxDb> {
    const db = await openDB<OutboxSchema>(outboxDbName(userId), 1, {
      upgrade(database) {
        database.createObjectStore('outbox', { keyPath: 'clientMsgId' });
      },
    });
    return new OutboxDb(db);
  }

  all(): Promise<OutgoingMessage[]> {
    return this.db.getAll('outbox');
  }

  save(message: OutgoingMessage): Promise<void> {
    return this.db.put('outbox', message).then(() => undefined);
  }

  remove(clientMsgId: string): Promise<void> {
    return this.db.delete('outbox', clientMsgId);
  }

  close(): void {
    this.db.close();
  }
}
