import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import { CHANGES_SQL, HISTORY_SQL } from '../../src/storage/sqlite/messages.repository.js';
import { MEMBERS_SQL } from '../../src/storage/sqlite/room-moderation.js';
import { describeStorageContract } from './storage.contract.js';

const dirs = new WeakMap<object, string>();

describeStorageContract('SQLite', {
  async open() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sqlite-'));
    const storage = createSqliteStorage(dir);
    dirs.set(storage, dir);
    return storage;
  },
  async dispose(storage) {
    await storage.close();
    fs.rmSync(dirs.get(storage)!, { recursive: true, force: true });
  },
  // DATA_DIR/files: every file in it, temporary ones included.
  blobResidue: async (storage) => {
    const dir = path.join(dirs.get(storage)!, 'files');
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  },
});

describe('SQLite specifics', () => {
  it('keeps data across reopen and does not re-run migrations', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sqlite-'));
    const first = createSqliteStorage(dir);
    await first.users.create({ id: 'u_a', username: 'alice', passwordHash: 'h', createdAt: '2026-01-01T00:00:00Z' });
    await first.close();
    const second = createSqliteStorage(dir);
    expect(await second.users.findById('u_a')).toEqual({ id: 'u_a', username: 'alice', displayName: '' });
    await second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  it('erases a deleted message text, reactions and versions from its rows, for good', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sqlite-'));
    const storage = createSqliteStorage(dir);
    try {
      const T0 = '2026-01-01T00:00:00.000Z';
      const author = { id: 'u_a', username: 'alice', displayName: '' };
      await storage.users.create({ ...author, passwordHash: 'h', createdAt: T0 });
      await storage.rooms.create({ id: 'r_a', kind: 'public', name: 'a', ownerId: 'u_a', createdAt: T0 }, ['u_a']);
      const ref = { roomId: 'r_a', messageId: 'm_a' };
      await storage.messages.append({ id: 'm_a', roomId: 'r_a', author, clientMsgId: 'c', text: 'secret one', createdAt: T0 });
      await storage.messages.edit({ ...ref, text: 'secret two', editedAt: T0 });
      await storage.messages.setReaction({ ...ref, userId: 'u_a', emoji: '🦄', on: true });
      await storage.messages.delete(ref);
      const raw = new Database(path.join(dir, 'parley.db'), { readonly: true });
      try {
        expect(raw.prepare('SELECT * FROM message_versions').all()).toEqual([]);
        const rows = raw.prepare('SELECT * FROM messages').all();
        expect(JSON.stringify(rows)).not.toMatch(/secret|🦄/);
        expect(rows[0]).toMatchObject({ text: '', reactions: '[]', edited_at: null });
      } finally {
        raw.close();
      }
    } finally {
      await storage.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite query plans', () => {
  /** The plan of each statement, as EXPLAIN QUERY PLAN details on `m` (and, asked, its sorts), on a migrated database. */
  const plans = (statements: ReadonlyArray<readonly [string, string, unknown]>, { sorts = false } = {}) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sqlite-'));
    try {
      void createSqliteStorage(dir).close();
      const db = new Database(path.join(dir, 'parley.db'), { readonly: true });
      try {
        return statements.map(([label, sql, params]) => {
          const rows = db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(params);
          return [label, rows.map((r) => r.detail).filter((d) => / m\b/.test(d) || (sorts && /TEMP B-TREE/.test(d)))] as const;
        });
      } finally {
        db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  it('pages changes by a keyset on the (room_id, rev) index', () => {
    expect(plans([['changes', CHANGES_SQL, ['r', 0, 10]]])).toEqual([
      ['changes', ['SEARCH m USING INDEX messages_room_rev (room_id=? AND rev>?)']],
    ]);
  });

  it('pages each history scope by a keyset on its index (the thread and top-level ones partial)', () => {
    const params = { roomId: 'r', threadRootId: 't', seq: 5, limit: 10 };
    // SQLite names the index of the messages_room_seq constraint itself.
    const indexOf = { room: 'sqlite_autoindex_messages_2', topLevel: 'messages_top_level_seq', thread: 'messages_thread_seq' } as const;
    const keyOf = { room: 'room_id', topLevel: 'room_id', thread: 'thread_root_id' } as const;
    for (const scope of ['room', 'topLevel', 'thread'] as const) {
      const sql = HISTORY_SQL[scope];
      const search = (bound: string) => `SEARCH m USING INDEX ${indexOf[scope]} (${keyOf[scope]}=?${bound})`;
      expect(
        plans([
          ['newest', sql.newest, params],
          ['before', sql.before, params],
          ['after', sql.after, params],
        ]),
        scope,
      ).toEqual([
        ['newest', [search('')]],
        ['before', [search(' AND seq<?')]],
        ['after', [search(' AND seq>?')]],
      ]);
    }
  });

  it('pages room:members by a keyset on the (room_id, username) index, without a sort', () => {
    const params = { roomId: 'r', after: 'bob', limit: 200 };
    expect(plans([['members', MEMBERS_SQL, params]], { sorts: true })).toEqual([
      ['members', ['SEARCH m USING INDEX memberships_room_username (room_id=? AND username>?)']],
    ]);
  });
});
