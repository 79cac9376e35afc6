import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { clientEvents, type ClientEventName } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithPeople, stopAll, type Client, type TestServer } from '../support/harness.js';

/**
 * Property: whatever a signed-in client puts in any event's payload, the answer is a valid result
 * (matching the event's result schema) or INVALID / NOT_FOUND / FORBIDDEN / CONFLICT, never INTERNAL or a
 * crash, and an error answer leaves the database exactly as it was.
 */

let server: TestServer, alice: Client, bob: Client, carol: Client;
let db: Database.Database;
let ids: string[];
let messageIds: string[];
let fileIds: string[];

beforeAll(async () => {
  // This suite sends far more events than a person would: limits out of the way.
  ({ server, alice, bob, carol } = await startWithPeople({
    limits: { eventsPerMinute: 1_000_000, messagesPerMinute: 1_000_000, roomCreationsPerHour: 1_000_000 },
  }));
  const { room: open } = await alice.call('room:create', { name: 'fuzz public', visibility: 'public' });
  const { room: closed } = await carol.call('room:create', { name: 'fuzz private', visibility: 'private' });
  const { room: dm } = await bob.call('dm:open', { userId: carol.user.id });
  await bob.call('room:join', { roomId: open.id });
  const { message: seed } = await alice.call('message:send', { roomId: open.id, clientMsgId: 'seed', text: 'seed' });
  const { message: reply } = await bob.call('message:send', {
    roomId: open.id,
    clientMsgId: 'reply',
    text: 'reply',
    threadRootId: seed.id,
  });
  const { message: secret } = await carol.call('message:send', { roomId: closed.id, clientMsgId: 'secret', text: 'secret' });
  const { message: gone } = await alice.call('message:send', { roomId: open.id, clientMsgId: 'gone', text: 'gone' });
  await alice.call('message:delete', { roomId: open.id, messageId: gone.id });
  await bob.call('reaction:set', { roomId: open.id, messageId: seed.id, emoji: '👍', on: true });
  // Unsent uploads (rows as the upload route stores them) of each person, in rooms of theirs.
  const uploads = [
    [open.id, alice],
    [open.id, alice],
    [open.id, bob],
    [closed.id, carol],
    [dm.id, bob],
  ] as const;
  fileIds = [];
  for (const [i, [roomId, uploader]] of uploads.entries()) {
    const file = { id: `f_fuzz${i}`, name: `${i}.png`, type: 'image/png', size: 1, width: 1, height: 1, hasThumbnail: false };
    const row = { ...file, roomId, uploaderId: uploader.user.id, messageId: null, createdAt: new Date().toISOString() };
    await server.storage.files.create(row, { day: row.createdAt.slice(0, 10), maxBytesPerDay: 1_000 });
    fileIds.push(file.id);
  }
  // Real ids make the generated payloads reach past validation into the rules.
  ids = [open.id, closed.id, dm.id, alice.user.id, bob.user.id, carol.user.id];
  messageIds = [seed.id, reply.id, secret.id, gone.id];
  db = new Database(path.join(server.dataDir, 'parley.db'), { readonly: true });
});
afterAll(async () => {
  db.close();
  await stopAll(server, alice, bob, carol);
});

/** Everything the server stores, summed up: any change shows. */
function fingerprint(): string {
  return JSON.stringify(
    db
      .prepare(
        `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM sessions) AS sessions,
                (SELECT count(*) FROM rooms) AS rooms, (SELECT coalesce(sum(last_seq), 0) FROM rooms) AS seqs,
                (SELECT count(*) FROM memberships) AS members, (SELECT coalesce(sum(last_read_seq), 0) FROM memberships) AS reads,
                (SELECT count(*) FROM invitations) AS invitations, (SELECT count(*) FROM messages) AS messages,
                (SELECT coalesce(sum(last_rev), 0) FROM rooms) AS revs, (SELECT count(*) FROM message_versions) AS versions,
                (SELECT count(*) FROM files) AS files, (SELECT count(message_id) FROM files) AS sentFiles,
                (SELECT coalesce(sum(last_read_seq), 0) FROM thread_reads) AS threadReads,
                (SELECT group_concat(id || rev || text, ',') FROM messages) AS texts,
                (SELECT group_concat(room_id || user_id || banned_by, ',') FROM room_bans) AS bans,
                (SELECT group_concat(room_id || user_id || role, ',') FROM memberships) AS roles,
                (SELECT group_concat(id || name || '|' || topic || coalesce(owner_id, '-'), ',') FROM rooms) AS roomStates`,
      )
      .get(),
  );
}

/** The keys each event's payload has. */
const KEYS: Record<ClientEventName, string[]> = {
  'room:create': ['name', 'visibility'],
  'room:join': ['roomId'],
  'room:leave': ['roomId'],
  'room:invite': ['roomId', 'userId'],
  'room:remove-member': ['roomId', 'userId', 'ban'],
  'room:unban': ['roomId', 'userId'],
  'room:update': ['roomId', 'name', 'topic'],
  'room:members': ['roomId', 'after', 'limit'],
  'room:set-role': ['roomId', 'userId', 'role'],
  'dm:open': ['userId', 'userIds'],
  'message:send': ['roomId', 'clientMsgId', 'text', 'threadRootId', 'fileIds'],
  'message:history': ['roomId', 'before', 'after', 'limit', 'threadRootId', 'topLevel'],
  'message:edit': ['roomId', 'messageId', 'text'],
  'message:delete': ['roomId', 'messageId'],
  'message:versions': ['roomId', 'messageId'],
  'reaction:set': ['roomId', 'messageId', 'emoji', 'on'],
  'message:changes': ['roomId', 'afterRev', 'limit'],
  'thread:read': ['roomId', 'threadRootId', 'seq'],
  'room:read': ['roomId', 'seq'],
  'room:mute': ['roomId', 'muted'],
  'typing:set': ['roomId', 'typing'],
  'presence:get': ['userIds'],
};

/** Plausible values per key (so payloads get past validation often), mixed with anything at all. */
const plausible: Record<string, () => fc.Arbitrary<unknown>> = {
  roomId: () => fc.oneof(fc.constantFrom(...ids), fc.string()),
  userId: () => fc.oneof(fc.constantFrom(...ids), fc.string()),
  userIds: () => fc.array(fc.oneof(fc.constantFrom(...ids), fc.string()), { maxLength: 5 }),
  name: () => fc.oneof(fc.string({ maxLength: 70 }), fc.string({ unit: 'binary', maxLength: 70 })),
  visibility: () => fc.constantFrom('public', 'private', 'dm', 'PUBLIC', ''),
  clientMsgId: () => fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 140 }), fc.uuid()),
  text: () => fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.constant('x'.repeat(4001))),
  before: () => fc.oneof(fc.integer({ min: -5, max: 50 }), fc.double()),
  // message:history takes a seq, room:members a username.
  after: () => fc.oneof(fc.integer({ min: -5, max: 50 }), fc.double(), fc.string({ maxLength: 40 })),
  limit: () => fc.oneof(fc.integer({ min: -5, max: 150 }), fc.double()),
  seq: () => fc.oneof(fc.integer({ min: -5, max: 1_000 }), fc.double()),
  typing: () => fc.oneof(fc.boolean(), fc.constantFrom('true', 0, 1)),
  messageId: () => fc.oneof(fc.constantFrom(...messageIds), fc.string()),
  threadRootId: () => fc.oneof(fc.constantFrom(...messageIds), fc.string()),
  fileIds: () => fc.array(fc.oneof(fc.constantFrom(...fileIds), fc.string()), { maxLength: 12 }),
  topLevel: () => fc.oneof(fc.boolean(), fc.constantFrom('true', 1)),
  emoji: () => fc.oneof(fc.constantFrom('👍', '🇫🇷', '👩‍💻', '👍👍', 'a', ':)', '\u200d', ''), fc.string({ maxLength: 8 })),
  on: () => fc.oneof(fc.boolean(), fc.constantFrom('true', 0, 1)),
  muted: () => fc.oneof(fc.boolean(), fc.constantFrom('true', 0, 1)),
  afterRev: () => fc.oneof(fc.integer({ min: -5, max: 50 }), fc.double()),
  ban: () => fc.oneof(fc.boolean(), fc.constantFrom('true', 0, 1)),
  topic: () => fc.oneof(fc.string({ maxLength: 260 }), fc.string({ unit: 'binary', maxLength: 260 })),
  role: () => fc.constantFrom('owner', 'admin', 'member', 'ADMIN', ''),
};

/** Keys a payload may leave out. */
const OPTIONAL = ['before', 'after', 'limit', 'threadRootId', 'topLevel', 'ban', 'topic', 'userId', 'userIds', 'fileIds'];

const value = (key: string) => fc.oneof({ weight: 4, arbitrary: plausible[key]!() }, { weight: 1, arbitrary: fc.anything() });

/** Mostly the event's own keys with plausible values (some left out), sometimes a foreign key, sometimes anything. */
const payload = (event: ClientEventName) => {
  const own = Object.fromEntries(KEYS[event].map((key) => [key, value(key)]));
  return fc.oneof(
    { weight: 6, arbitrary: fc.record(own, { requiredKeys: KEYS[event].filter((k) => !OPTIONAL.includes(k)) }) },
    { weight: 2, arbitrary: fc.record(own, { requiredKeys: [] }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.record(own), fc.constantFrom('authorId', 'userId', 'ownerId', '__proto__', 'seq'), fc.anything())
        .map(([base, key, extra]) => ({ ...base, [key]: extra })),
    },
    { weight: 1, arbitrary: fc.anything() },
  );
};

/** CONFLICT: an edit of or a reaction to a deleted message, a reply to a deleted root, a 21st emoji. */
const ALLOWED_ERRORS = ['INVALID', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT'];

describe('fuzzing every client event', () => {
  it.each(Object.keys(clientEvents) as ClientEventName[])('%s: a valid result or a refusal that changed nothing', async (event) => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(alice, bob, carol), payload(event), async (client, input) => {
        const before = fingerprint();
        const ack = await (client.socket.timeout(5_000) as any).emitWithAck(event, input);
        if (ack.ok) {
          expect(clientEvents[event].result.safeParse(ack.data).success).toBe(true);
        } else {
          expect(ALLOWED_ERRORS).toContain(ack.error.code);
          expect(fingerprint()).toBe(before);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('left the server serving', async () => {
    const { room } = await alice.call('room:create', { name: 'after the fuzz', visibility: 'public' });
    await bob.call('room:join', { roomId: room.id });
    const delivered = bob.next('message:created', (m) => m.roomId === room.id);
    await alice.call('message:send', { roomId: room.id, clientMsgId: 'after-fuzz', text: 'still here' });
    await delivered;
  });
});
