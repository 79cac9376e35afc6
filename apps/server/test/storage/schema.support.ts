/**
 * What schema.test.ts builds on: the SQL the released migrations shipped with, databases made by
 * them, and the checks that a storage opened on one works.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import type { Dialect } from '../../src/storage/schema.js';
import type { Storage } from '../../src/storage/storage.js';

/**
 * Released migrations never change: databases made by them must keep working. fixtures/released/
 * holds the SQL each released migration shipped with, per dialect, exactly as it shipped (from
 * the migrations files before the schema was written once, in storage/schema.ts). A new
 * migration adds its two files there once released; RELEASED gains its version and name.
 */
export const RELEASED = [
  { version: 1, name: 'initial schema' },
  { version: 2, name: 'change stream, edits, reactions and threads' },
  { version: 3, name: 'message search' },
  { version: 4, name: 'mentions, followed threads and mute' },
  { version: 5, name: 'roles, bans, display names and deleted accounts' },
  { version: 6, name: 'files' },
  { version: 7, name: 'search index off the write path' },
];

export const shipped = (version: number, dialect: Dialect) =>
  fs.readFileSync(new URL(`./fixtures/released/v${version}.${dialect}.sql`, import.meta.url), 'utf8');

/** SQL without comments, whitespace collapsed, none around punctuation. */
export const normalise = (sql: string) =>
  sql
    .replace(/--[^\n]*/g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([(),;]) ?/g, '$1')
    .trim();

/** The table both runners (db.ts) record applied migrations in, as they create it. */
const RECORD_TABLE = `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);`;

/**
 * The SQL that makes a database as the released migrations up to `upTo` left it, each recorded as
 * applied (at 'released'), then `data`.
 */
export const releasedDatabase = (dialect: Dialect, upTo = RELEASED.length, data = '') =>
  [
    RECORD_TABLE,
    ...RELEASED.filter(({ version }) => version <= upTo).flatMap(({ version, name }) => [
      shipped(version, dialect),
      `INSERT INTO schema_migrations VALUES (${version}, '${name}', 'released');`,
    ]),
    data,
  ].join('\n');

/** What schema_migrations holds once every released migration is recorded as applied. */
export const RECORDED = RELEASED.map(({ version, name }) => ({ version, name, applied_at: 'released' }));

/** Shows that a storage opened on a released database works: writes and reads in every table. */
export const exercise = async (storage: Storage) => {
  const T0 = '2026-01-01T00:00:00.000Z';
  await storage.users.create({ id: 'u_a', username: 'alice', passwordHash: 'h', createdAt: T0 });
  await storage.sessions.create({ id: 's_a', userId: 'u_a', createdAt: T0, expiresAt: 4_102_444_800_123 });
  await storage.rooms.create({ id: 'r_a', kind: 'private', name: 'a', ownerId: 'u_a', createdAt: T0 }, ['u_a']);
  await storage.rooms.addInvitation({ roomId: 'r_a', userId: 'u_a', invitedBy: 'u_a', createdAt: T0 });
  const author = { id: 'u_a', username: 'alice', displayName: '' };
  await storage.messages.append({ id: 'm_a', roomId: 'r_a', author, clientMsgId: 'c', text: 'hi', createdAt: T0 });
  expect((await storage.sessions.findActive('s_a', 0))?.user).toEqual(author);
  expect((await storage.messages.history('r_a', { limit: 5 })).map((m) => m.seq)).toEqual([1]);
  expect(await storage.rooms.markRead('r_a', 'u_a', 5)).toBe(1);
  // v2: versions, reactions, a thread and its read marker, the change stream.
  await storage.messages.edit({ roomId: 'r_a', messageId: 'm_a', text: 'hello', editedAt: T0 });
  await storage.messages.setReaction({ roomId: 'r_a', messageId: 'm_a', userId: 'u_a', emoji: '👍', on: true });
  const reply = { id: 'm_r', roomId: 'r_a', author, clientMsgId: 'r', text: 'reply', createdAt: T0, threadRootId: 'm_a' };
  expect((await storage.messages.append(reply)).created).toBe(true);
  expect(await storage.messages.versions('r_a', 'm_a')).toEqual([
    { text: 'hi', editedAt: T0 },
    { text: 'hello', editedAt: T0 },
  ]);
  expect(await storage.messages.markThreadRead('r_a', 'm_a', 'u_a', 2)).toBe(2);
  const { messages, lastRev } = await storage.messages.changes('r_a', 0, 10);
  expect(messages.map((m) => [m.id, m.rev])).toEqual([
    ['m_r', 4],
    ['m_a', 5],
  ]);
  expect(messages[1]).toMatchObject({ text: 'hello', reactions: [{ emoji: '👍', userIds: ['u_a'] }], thread: { replyCount: 1 } });
  expect(lastRev).toBe(5);
  // v6: an upload's row, its bytes and quota, sent with a message, deleted with it.
  const file = { id: 'f_a', name: 'a.txt', type: 'text/plain', size: 2, width: null, height: null, hasThumbnail: false };
  const quota = { day: '2026-01-01', maxBytesPerDay: 10 };
  expect(await storage.files.create({ ...file, roomId: 'r_a', uploaderId: 'u_a', messageId: null, createdAt: T0 }, quota)).toBe('created');
  expect(await storage.blobs.put('f_a', Readable.from([Buffer.from('hi')]), 10)).toBe(2);
  const withFile = await storage.messages.append({
    id: 'm_f',
    roomId: 'r_a',
    author,
    clientMsgId: 'f',
    text: '',
    createdAt: T0,
    fileIds: ['f_a'],
  });
  expect(withFile.message.files).toEqual([{ id: 'f_a', name: 'a.txt', type: 'text/plain', size: 2, width: null, height: null }]);
  expect(await storage.messages.delete({ roomId: 'r_a', messageId: 'm_f' })).toMatchObject({ removedFileIds: ['f_a'] });
  expect(await storage.files.usedOn('u_a', '2026-01-01')).toBe(2);
};

/** A v1 database's rooms and messages, written as v1 wrote them: two rooms of 3 and 2 messages. */
export const V1_DATA = `
  INSERT INTO users (id, username, password_hash, created_at) VALUES ('u_old', 'old', 'h', '2025-01-01T00:00:00.000Z');
  INSERT INTO rooms (id, kind, name, owner_id, member_count, last_seq, created_at) VALUES
    ('r_one', 'public', 'one', 'u_old', 1, 3, '2025-01-01T00:00:00.000Z'),
    ('r_two', 'public', 'two', 'u_old', 1, 2, '2025-01-01T00:00:00.000Z');
  INSERT INTO memberships (room_id, user_id, last_read_seq, joined_at) VALUES
    ('r_one', 'u_old', 3, '2025-01-01T00:00:00.000Z'), ('r_two', 'u_old', 2, '2025-01-01T00:00:00.000Z');
  INSERT INTO messages (id, room_id, seq, author_id, client_msg_id, text, created_at) VALUES
    ('m_1', 'r_one', 1, 'u_old', 'c1', 'one', '2025-01-01T00:00:01.000Z'),
    ('m_2', 'r_one', 2, 'u_old', 'c2', 'two', '2025-01-01T00:00:02.000Z'),
    ('m_3', 'r_one', 3, 'u_old', 'c3', 'three', '2025-01-01T00:00:03.000Z'),
    ('m_4', 'r_two', 1, 'u_old', 'c4', 'four', '2025-01-01T00:00:04.000Z'),
    ('m_5', 'r_two', 2, 'u_old', 'c5', 'five', '2025-01-01T00:00:05.000Z');
`;

/** A v1 database with messages, migrated: revs are the seqs, each room's lastRev its lastSeq, and the stream goes on from there. */
export const expectMigratedFromV1 = async (storage: Storage) => {
  for (const [roomId, count] of [
    ['r_one', 3],
    ['r_two', 2],
  ] as const) {
    expect(await storage.rooms.findById(roomId)).toMatchObject({ lastSeq: count, lastRev: count, topic: '' });
    const history = await storage.messages.history(roomId, { limit: 10 });
    expect(history.map((m) => [m.seq, m.rev])).toEqual(Array.from({ length: count }, (_, i) => [i + 1, i + 1]));
    expect(history[0]).toMatchObject({ editedAt: null, deleted: false, threadRootId: null, thread: null, reactions: [], mentions: [] });
    const changes = await storage.messages.changes(roomId, 0, 10);
    expect(changes).toEqual({ messages: history, lastRev: count, more: false });
  }
  // v3: messages stored before the search index are in it.
  const found = async (text: string) => (await storage.search.messages({ userId: 'u_old', text, limit: 10 })).map((hit) => hit.message.id);
  expect(await found('FIV')).toEqual(['m_5']);
  const edited = await storage.messages.edit({ roomId: 'r_one', messageId: 'm_2', text: 'two!', editedAt: '2026-01-01T00:00:00.000Z' });
  expect(edited).toMatchObject({ kind: 'changed', message: { seq: 2, rev: 4 } });
  expect(await found('wo!')).toEqual(['m_2']);
  expect(await storage.messages.versions('r_one', 'm_2')).toEqual([
    { text: 'two', editedAt: '2025-01-01T00:00:02.000Z' },
    { text: 'two!', editedAt: '2026-01-01T00:00:00.000Z' },
  ]);
  const author = { id: 'u_old', username: 'old', displayName: '' };
  const sent = await storage.messages.append({
    id: 'm_6',
    roomId: 'r_two',
    author,
    clientMsgId: 'c6',
    text: 'six',
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  expect(sent.message).toMatchObject({ seq: 3, rev: 3 });
};
