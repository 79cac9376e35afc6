import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import type { Storage } from '../../src/storage/storage.js';

/**
 * Migration 7 (schema.search.ts): an insert no longer indexes its text; the indexer fills the FTS5
 * index in batches, in the background and before every search. Search still answers from current
 * texts at once, an edit or delete of a row indexed or not leaves the index exact (FTS5's own
 * integrity check compares it with the messages table), and nothing waits for the index to send.
 */
const T0 = '2026-01-01T00:00:00.000Z';
const author = { id: 'u_a', username: 'alice', displayName: '' };

describe('SQLite: the search index filled in batches (migration 7)', () => {
  let dir: string;
  let storage: Storage;
  let raw: Database.Database;
  let n = 0;
  // Only before a search unless a test says otherwise, so what is indexed when is the test's to say.
  const open = (searchIndexIntervalMs = 0) => {
    storage = createSqliteStorage(dir, { searchIndexIntervalMs });
    raw = new Database(path.join(dir, 'parley.db'));
  };
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-search-index-'));
    open();
    raw = new Database(path.join(dir, 'parley.db'));
    await storage.users.create({ ...author, passwordHash: 'h', createdAt: T0 });
    await storage.rooms.create({ id: 'r_a', kind: 'public', name: 'a', ownerId: 'u_a', createdAt: T0 }, ['u_a']);
  });
  afterEach(async () => {
    raw.close();
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const send = async (text: string) => {
    n++;
    const { message } = await storage.messages.append({ id: `m_${n}`, roomId: 'r_a', author, clientMsgId: `c${n}`, text, createdAt: T0 });
    return message.id;
  };
  const found = async (text: string) => (await storage.search.messages({ userId: 'u_a', text, limit: 20 })).map((h) => h.message.id);
  const indexedUpTo = () => raw.prepare('SELECT up_to FROM search_indexed').pluck().get() as number;
  const lastRowid = () => raw.prepare('SELECT max(rowid) FROM messages').pluck().get() as number;
  const indexIsExact = () => raw.exec("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");

  it('stores a message without indexing it, and a search right after finds it', async () => {
    const id = await send('the quarterly numbers are in');
    expect(indexedUpTo()).toBeLessThan(lastRowid());
    expect(await found('quarterly')).toEqual([id]);
    expect(indexedUpTo()).toBe(lastRowid());
    indexIsExact();
  });

  it('indexes in the background, without a search', async () => {
    raw.close();
    await storage.close();
    open(50);
    for (let i = 0; i < 300; i++) await send(`background ${i}`);
    await vi.waitFor(() => expect(indexedUpTo()).toBe(lastRowid()), { timeout: 5000, interval: 20 });
    indexIsExact();
  });

  it('keeps the index exact through edits and deletes of rows indexed and not indexed yet', async () => {
    const indexed = await send('alpha original');
    expect(await found('alpha')).toEqual([indexed]); // indexed now
    const pending = await send('beta original');
    expect(indexedUpTo()).toBeLessThan(lastRowid()); // not yet
    await storage.messages.edit({ roomId: 'r_a', messageId: indexed, text: 'alpha edited', editedAt: T0 });
    await storage.messages.edit({ roomId: 'r_a', messageId: pending, text: 'beta edited', editedAt: T0 });
    expect(await found('original')).toEqual([]);
    expect(await found('edited')).toEqual([pending, indexed]);
    indexIsExact();

    const later = await send('gamma to delete');
    await storage.messages.delete({ roomId: 'r_a', messageId: later }); // never indexed
    await storage.messages.delete({ roomId: 'r_a', messageId: indexed });
    expect(await found('gamma')).toEqual([]);
    expect(await found('edited')).toEqual([pending]);
    indexIsExact();
  });

  it('catches up after a restart on what was stored but not indexed', async () => {
    const id = await send('before the restart');
    expect(indexedUpTo()).toBeLessThan(lastRowid());
    raw.close();
    await storage.close();
    open();
    expect(await found('restart')).toEqual([id]);
    indexIsExact();
  });
});
