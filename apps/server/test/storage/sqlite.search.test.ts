import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import { ftsPhrase, SEARCH_SQL } from '../../src/storage/sqlite/search.repository.js';
import type { Storage } from '../../src/storage/storage.js';
import { MEMBER_ROOMS, OTHER, ROOMS, SEARCHER, searchAnswerTests, seedMessages, withBulkIndexing } from './search.support.js';

/**
 * Search on SQLite with 100,000 stored messages: the right answer, through the FTS5 trigram
 * index (schema.ts, migration 3) walked newest first, never a scan of messages or a sort.
 */
const COUNT = 100_000;
const T0 = '2026-01-01T00:00:00.000Z';
const AUTHORS = Array.from({ length: 1000 }, (_, i) => `u_author${i}`);

describe('SQLite search over 100,000 messages', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-search-'));
  const messages = seedMessages(COUNT);
  let storage: Storage;
  let db: Database.Database;

  beforeAll(() => {
    storage = createSqliteStorage(dir);
    db = new Database(path.join(dir, 'parley.db'));
    withBulkIndexing(db, () => {
      const user = db.prepare('INSERT INTO users (id, username, password_hash, created_at) VALUES (?, ?, ?, ?)');
      for (const id of [SEARCHER, OTHER, ...AUTHORS]) user.run(id, id, 'h', T0);
      const room = db.prepare("INSERT INTO rooms (id, kind, name, owner_id, created_at) VALUES (?, 'public', ?, ?, ?)");
      const member = db.prepare('INSERT INTO memberships (room_id, user_id, joined_at) VALUES (?, ?, ?)');
      for (const id of ROOMS) {
        room.run(id, `room ${id}`, OTHER, T0);
        member.run(id, OTHER, T0);
        if (MEMBER_ROOMS.has(id)) member.run(id, SEARCHER, T0);
      }
      const insert = db.prepare(
        `INSERT INTO messages (id, room_id, seq, rev, author_id, client_msg_id, text, created_at, deleted_at)
         VALUES (@id, @roomId, @seq, @seq, @authorId, @id, @text, @createdAt, @deletedAt)`,
      );
      messages.forEach((m, i) => insert.run({ ...m, authorId: AUTHORS[i % AUTHORS.length], deletedAt: m.deleted ? m.createdAt : null }));
    });
    db.exec('ANALYZE');
  }, 60_000);
  afterAll(async () => {
    db.close();
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  searchAnswerTests(() => storage, messages);

  it('walks the FTS5 index newest first: no scan of messages, no sort', () => {
    const plan = db
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${SEARCH_SQL}`)
      .all({ userId: SEARCHER, match: ftsPhrase('number 777'), bound: Number.MAX_SAFE_INTEGER, roomId: null, limit: 20 })
      .map((row) => row.detail);
    expect(plan[0]).toMatch(/^SCAN f VIRTUAL TABLE INDEX/);
    expect(
      plan.slice(1).every((step) => /^SEARCH \w+ USING (INTEGER PRIMARY KEY|(COVERING )?INDEX) /.test(step)),
      plan.join('\n'),
    ).toBe(true);
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE|SCAN m\b/);
  });
});
