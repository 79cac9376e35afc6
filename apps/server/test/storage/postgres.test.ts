import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../../src/storage/postgres/index.js';
import { describePostgres, message, noSqlIn, seedRoom, T0, TABLES, until, useNodes, useTestSchema } from './postgres.support.js';
import { describeStorageContract } from './storage.contract.js';

/**
 * The shared repository suite against PostgreSQL, plus what only PostgreSQL has here: its types,
 * text that cannot hold NUL, and errors of a server that is unreachable, times out or drops
 * connections. Several nodes at once, start-up migrations and query plans are in
 * postgres.concurrency.test.ts. Everything runs in a schema of its own, dropped at the end.
 */

describePostgres('PostgreSQL', () => {
  const db = useTestSchema();

  describeStorageContract('PostgreSQL', {
    async open() {
      const storage = await db.open();
      await db.admin.query(`TRUNCATE ${TABLES}`);
      return storage;
    },
    dispose: (storage) => storage.close(),
    // Published blobs by key, and the upload keys of chunks no blob names (an upload in progress or left over).
    blobResidue: async () =>
      (
        await db.admin.query<{ key: string }>(
          `SELECT key FROM file_blobs
           UNION ALL
           SELECT DISTINCT c.key FROM file_chunks c WHERE NOT EXISTS (SELECT 1 FROM file_blobs b WHERE b.upload_key = c.key)`,
        )
      ).rows.map((r) => r.key),
  });

  describe('PostgreSQL specifics', () => {
    const node = useNodes(db);

    it('returns numbers for BIGINT columns and text exactly as written', async () => {
      const storage = await node();
      const createdAt = '2026-01-01T00:00:00Z'; // not normalised to .000Z
      await storage.users.create({ id: 'u_t', username: 'typed', passwordHash: 'h', createdAt });
      expect((await storage.users.findByUsername('typed'))?.createdAt).toBe(createdAt);
      const expiresAt = 4_102_444_800_123; // past 2^32, and past 2100
      await storage.sessions.create({ id: 's_t', userId: 'u_t', createdAt, expiresAt });
      const found = await storage.sessions.findActive('s_t', expiresAt - 1);
      expect(found?.session).toEqual({ id: 's_t', userId: 'u_t', createdAt, expiresAt });
      const room = await storage.rooms.create({ id: 'r_t', kind: 'public', name: 'ünïcode 😀', ownerId: 'u_t', createdAt }, ['u_t']);
      expect(room).toEqual({
        id: 'r_t',
        kind: 'public',
        name: 'ünïcode 😀',
        ownerId: 'u_t',
        memberCount: 1,
        lastSeq: 0,
        lastRev: 0,
        topic: '',
        createdAt,
      });
      const text = '\r\n \u200b\u{10ffff} ﷽ 𝕏 \\ \' " %_ $1';
      const { message: sent } = await storage.messages.append(message('r_t', { id: 'u_t', username: 'typed' }, 'x', { text, createdAt }));
      expect(sent).toMatchObject({ seq: 1, rev: 1, editedAt: null, deleted: false, thread: null, reactions: [] });
      expect(sent.seq).toBe(1);
      expect(await storage.messages.history('r_t', { limit: 5 })).toEqual([sent]);
      expect(await storage.rooms.markRead('r_t', 'u_t', Number.MAX_SAFE_INTEGER)).toBe(1);
      expect(await storage.rooms.listVisible('u_t')).toEqual([
        {
          ...room,
          lastSeq: 1,
          lastRev: 1,
          joined: true,
          lastReadSeq: 1,
          lastMessage: { text, author: sent.author, createdAt, files: 0 },
          invitedBy: null,
          mentions: 0,
          threadsUnread: 0,
          muted: false,
          role: 'owner',
        },
      ]);
    });

    it('answers lookups by keys holding NUL (which text cannot store) with nothing found', async () => {
      const storage = await node();
      expect(await storage.users.findByUsername('ali\u0000ce')).toBeNull();
      expect(await storage.users.searchByPrefix('\u0000', 10)).toEqual([]);
      expect(await storage.sessions.findActive('s\u0000', 0)).toBeNull();
      expect(await storage.sessions.delete('s\u0000')).toBe(false);
      expect(await storage.rooms.findById('r\u0000')).toBeNull();
      expect(await storage.messages.history('r\u0000', { limit: 5 })).toEqual([]);
      expect(await storage.messages.history('r_x', { limit: 5, threadRootId: 'm\u0000' })).toEqual([]);
      expect(await storage.messages.find('r_x', 'm\u0000')).toBeNull();
      expect(await storage.messages.versions('r\u0000', 'm_x')).toEqual([]);
      expect(await storage.messages.changes('r\u0000', 0, 5)).toEqual({ messages: [], lastRev: 0, more: false });
      const missing = { kind: 'refused', reason: 'not-found' };
      expect(await storage.messages.edit({ roomId: 'r_x', messageId: 'm\u0000', text: 'x', editedAt: T0 })).toEqual(missing);
      expect(await storage.messages.delete({ roomId: 'r\u0000', messageId: 'm_x' })).toEqual(missing);
      expect(await storage.messages.setReaction({ roomId: 'r_x', messageId: 'm\u0000', userId: 'u_x', emoji: '👍', on: true })).toEqual(
        missing,
      );
      expect(await storage.messages.markThreadRead('r_x', 'm\u0000', 'u_x', 1)).toBe(0);
    });

    it('erases a deleted message text, reactions and versions from its rows, for good', async () => {
      const storage = await node();
      const { users, roomId } = await seedRoom(storage, 1);
      const { message: sent } = await storage.messages.append(message(roomId, users[0]!, 'gone', { text: 'secret one' }));
      await storage.messages.edit({ roomId, messageId: sent.id, text: 'secret two', editedAt: T0 });
      await storage.messages.setReaction({ roomId, messageId: sent.id, userId: users[0]!.id, emoji: '🦄', on: true });
      expect((await db.admin.query('SELECT * FROM message_versions')).rowCount).toBe(1);
      await storage.messages.delete({ roomId, messageId: sent.id });
      expect((await db.admin.query('SELECT * FROM message_versions')).rowCount).toBe(0);
      const { rows } = await db.admin.query('SELECT * FROM messages');
      expect(JSON.stringify(rows)).not.toMatch(/secret|🦄/);
      expect(rows[0]).toMatchObject({ text: '', reactions: '[]', edited_at: null });
    });

    it('reports an unreachable server as StorageUnavailableError', async () => {
      const error = await createPostgresStorage({
        connectionString: 'postgres://postgres@127.0.0.1:1/test',
        connectionTimeoutMs: 1_000,
      }).catch((e: unknown) => e);
      noSqlIn(error);
    });

    it('reports a statement timeout as StorageUnavailableError, and stores nothing', async () => {
      const storage = await node({ statementTimeoutMs: 300 });
      const { users, roomId } = await seedRoom(storage, 1);
      const lock = await db.lockRoom(roomId);
      const error = await storage.messages.append(message(roomId, users[0]!, 'slow')).catch((e: unknown) => e);
      await lock.release();
      noSqlIn(error);
      expect((error as Error).message).toMatch(/timed out/);
      expect((await storage.rooms.findById(roomId))?.lastSeq).toBe(0);
      expect((await storage.messages.append(message(roomId, users[0]!, 'slow'))).message.seq).toBe(1);
    });

    it('reports a terminated connection as StorageUnavailableError, and recovers with a new one', async () => {
      const errors: Error[] = [];
      const applicationName = `parley_${randomBytes(4).toString('hex')}`;
      const storage = await node({ applicationName, onError: (e) => errors.push(e) });
      const { users, roomId } = await seedRoom(storage, 1);

      // Mid-transaction: the append waits on the room's lock when its backend is terminated.
      const lock = await db.lockRoom(roomId);
      const pending = storage.messages.append(message(roomId, users[0]!, 'doomed')).catch((e: unknown) => e);
      await lock.waiting(1);
      await db.admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [await db.blockedBy(lock.pid)]);
      const error = await pending;
      await lock.release();
      noSqlIn(error);
      expect((error as Error).message).toMatch(/connection was lost/);

      // Idle pooled connections terminated: the pool drops them and reports them to onError.
      const terminated = await db.admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
        applicationName,
      ]);
      await until(async () => errors.length >= (terminated.rowCount ?? 0), 'the pool to notice');
      await storage.ping();
      expect((await storage.messages.append(message(roomId, users[0]!, 'doomed'))).message.seq).toBe(1);
    });
  });
});
