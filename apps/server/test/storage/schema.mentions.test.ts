import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import type { Storage } from '../../src/storage/storage.js';
import { describePostgres, useTestSchema } from './postgres.support.js';
import { releasedDatabase } from './schema.support.js';

/**
 * Migration 4 (mentions, followed threads, mute) on a database of the releases before it: the
 * follows its threads already imply are made, read up to each thread's last reply, for members only.
 */

/** A room of amy (root m_1), with replies by bob (m_2) and by cid (m_3), who has left since. */
const THREAD = `
  INSERT INTO users (id, username, password_hash, created_at) VALUES
    ('u_amy', 'amy', 'h', '2025-01-01T00:00:00.000Z'), ('u_bob', 'bob', 'h', '2025-01-01T00:00:00.000Z'),
    ('u_cid', 'cid', 'h', '2025-01-01T00:00:00.000Z');
  INSERT INTO rooms (id, kind, name, owner_id, member_count, last_seq, last_rev, created_at) VALUES
    ('r_t', 'public', 't', 'u_amy', 2, 3, 5, '2025-01-01T00:00:00.000Z');
  INSERT INTO memberships (room_id, user_id, last_read_seq, joined_at) VALUES
    ('r_t', 'u_amy', 1, '2025-01-01T00:00:00.000Z'), ('r_t', 'u_bob', 2, '2025-01-01T00:00:00.000Z');
  INSERT INTO messages (id, room_id, seq, rev, author_id, client_msg_id, text, created_at) VALUES
    ('m_1', 'r_t', 1, 5, 'u_amy', 'c1', 'root', '2025-01-01T00:00:01.000Z');
  INSERT INTO messages (id, room_id, seq, rev, author_id, client_msg_id, text, created_at, thread_root_id) VALUES
    ('m_2', 'r_t', 2, 2, 'u_bob', 'c2', 'reply', '2025-01-01T00:00:02.000Z', 'm_1'),
    ('m_3', 'r_t', 3, 3, 'u_cid', 'c3', 'reply', '2025-01-01T00:00:03.000Z', 'm_1');
  UPDATE messages SET reply_count = 2, last_reply_at = '2025-01-01T00:00:03.000Z', last_reply_seq = 3 WHERE id = 'm_1';
`;

const expectFollowsMade = async (storage: Storage) => {
  const badges = async (userId: string) => {
    const view = await storage.rooms.view('r_t', userId);
    return { mentions: view!.mentions, threadsUnread: view!.threadsUnread, muted: view!.muted };
  };
  // Followed, read up to the last reply: nothing unread yet, nothing muted.
  expect(await badges('u_amy')).toEqual({ mentions: 0, threadsUnread: 0, muted: false });
  expect((await storage.messages.find('r_t', 'm_1'))!.mentions).toEqual([]);
  expect(await badges('u_bob')).toEqual({ mentions: 0, threadsUnread: 0, muted: false });
  const [amy, bob] = [
    { id: 'u_amy', username: 'amy', displayName: '' },
    { id: 'u_bob', username: 'bob', displayName: '' },
  ];
  const reply = (id: string, author: typeof amy, text: string, usernames: string[] = []) =>
    storage.messages.append({
      id,
      roomId: 'r_t',
      author,
      clientMsgId: id,
      text,
      createdAt: 'x',
      threadRootId: 'm_1',
      mentions: { usernames, everyone: false },
    });
  await reply('m_4', amy, 'more');
  // bob follows (he replied before the migration); cid, who left, does not come back as a follower.
  expect(await badges('u_bob')).toEqual({ mentions: 0, threadsUnread: 1, muted: false });
  expect(await badges('u_amy')).toEqual({ mentions: 0, threadsUnread: 0, muted: false });
  await storage.rooms.addMember('r_t', 'u_cid', 'x');
  await reply('m_5', bob, 'again @amy', ['amy']);
  expect(await badges('u_cid')).toEqual({ mentions: 0, threadsUnread: 0, muted: false });
  expect(await badges('u_amy')).toEqual({ mentions: 1, threadsUnread: 1, muted: false });
  expect(await badges('u_bob')).toEqual({ mentions: 0, threadsUnread: 0, muted: false });
};

describe('migration 4 on SQLite', () => {
  it('makes the follows a released database implies', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-mentions-'));
    try {
      new Database(path.join(dir, 'parley.db')).exec(releasedDatabase('sqlite', 3, THREAD)).close();
      const storage = createSqliteStorage(dir);
      try {
        await expectFollowsMade(storage);
      } finally {
        await storage.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describePostgres('migration 4 on PostgreSQL', () => {
  const db = useTestSchema();

  it('makes the follows a released database implies', async () => {
    const schema = `${db.schema}_v3`;
    const client = await db.admin.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}; ${releasedDatabase('postgres', 3, THREAD)}`);
    } finally {
      client.release(true);
    }
    try {
      const storage = await db.open({ schema });
      try {
        await expectFollowsMade(storage);
      } finally {
        await storage.close();
      }
    } finally {
      await db.admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  });
});
