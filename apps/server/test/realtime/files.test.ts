import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { roomListResultSchema, type MessageFile } from '@parley/protocol';
import { describe, expect, it as plainIt } from 'vitest';
import { blobKeys, thumbnailKey, type FileRecord } from '../../src/storage/files.js';
import type { Storage } from '../../src/storage/storage.js';
import { describePostgres, useTestSchema } from '../storage/postgres.support.js';
import { api, startWithPeople, stopAll, type TestServer } from '../support/harness.js';
import { it } from '../support/people.js';
import { expectUnchanged, refused, roomOf, send, settled } from './conversation.support.js';

/**
 * Files sent with messages over the socket (issue 17). Uploads are made here directly through
 * storage (a row and its bytes, as the upload route stores them): what is under test is
 * `message:send` with `fileIds`, what it acknowledges and broadcasts, and `message:delete` taking
 * the files' rows and bytes with it.
 */

let uploads = 0;
/** An upload of `uploaderId` to `roomId`, stored as the upload route would: bytes (and a thumbnail), then its row. */
async function upload(server: TestServer, roomId: string, uploaderId: string, name = `photo-${++uploads}.png`): Promise<FileRecord> {
  const file: FileRecord = {
    id: `f_test${++uploads}`,
    name,
    type: 'image/png',
    size: 64,
    width: 8,
    height: 8,
    roomId,
    uploaderId,
    messageId: null,
    createdAt: new Date().toISOString(),
    hasThumbnail: true,
  };
  await server.storage.blobs.put(file.id, Readable.from([randomBytes(file.size)]), 1024);
  await server.storage.blobs.put(thumbnailKey(file.id), Readable.from([randomBytes(16)]), 1024);
  expect(await server.storage.files.create(file, { day: file.createdAt.slice(0, 10), maxBytesPerDay: 1_000_000 })).toBe('created');
  return file;
}
const wire = ({ id, name, size, type, width, height }: FileRecord): MessageFile => ({ id, name, size, type, width, height });
const stored = async (storage: Storage, id: string) => ({
  row: await storage.files.find(id),
  blobs: await Promise.all(blobKeys(id).map(async (key) => (await storage.blobs.get(key)) !== null)),
});

describe('files on message:send', () => {
  it('sends files with a message (text may be empty), in the order given: the ack and every member hear them', async ({
    server,
    alice,
    bob,
  }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const [one, two] = [await upload(server, roomId, alice.user.id), await upload(server, roomId, alice.user.id, 'report.pdf')];
    const { message } = await alice.call('message:send', { roomId, clientMsgId: 'with-files', text: '', fileIds: [two.id, one.id] });
    expect(message).toMatchObject({ text: '', deleted: false, files: [wire(two), wire(one)] });
    for (const client of [alice, bob]) expect(await client.waitFor('message:created', (m) => m.id === message.id)).toEqual(message);
    expect((await bob.call('message:history', { roomId, limit: 10 })).messages).toEqual([message]);
    expect((await server.storage.files.find(one.id))?.messageId).toBe(message.id);
    // The room list's preview says how many files the newest message carries (its text is empty).
    const { body } = await api(server.url, bob.person.token)('/api/rooms');
    const listed = roomListResultSchema.parse(body).rooms.find((r) => r.id === roomId);
    expect(listed?.lastMessage).toEqual({ text: '', author: alice.user, createdAt: message.createdAt, files: 2 });

    // A retry answers with the original, files and all, and broadcasts nothing again.
    const before = await settled(server, [alice, bob], 'message:created', message);
    const third = await upload(server, roomId, alice.user.id);
    expect(await alice.call('message:send', { roomId, clientMsgId: 'with-files', text: '', fileIds: [third.id] })).toEqual({ message });
    await expectUnchanged(before);
    expect((await server.storage.files.find(third.id))?.messageId).toBeNull();
  });

  it("refuses another's file, another room's, one already sent or an unknown one with INVALID: nothing stored or broadcast", async ({
    server,
    alice,
    bob,
  }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const otherRoom = await roomOf(alice, 'public');
    const mine = await upload(server, roomId, alice.user.id);
    const bobs = await upload(server, roomId, bob.user.id);
    const elsewhere = await upload(server, otherRoom, alice.user.id);
    const sentOnce = await upload(server, roomId, alice.user.id);
    const first = (await alice.call('message:send', { roomId, clientMsgId: 'first', text: 'first', fileIds: [sentOnce.id] })).message;
    const before = await settled(server, [alice, bob], 'message:created', first);
    for (const [i, fileIds] of [[bobs.id], [elsewhere.id], [sentOnce.id], ['f_unknown'], [mine.id, bobs.id]].entries()) {
      expect(await alice.request('message:send', { roomId, clientMsgId: `refused-${i}`, text: 'x', fileIds })).toEqual(refused('INVALID'));
    }
    // Empty text needs files; repeated ids are refused by the payload's schema.
    expect(await alice.request('message:send', { roomId, clientMsgId: 'empty', text: '' })).toEqual(refused('INVALID'));
    expect(await alice.request('message:send', { roomId, clientMsgId: 'twice', text: '', fileIds: [mine.id, mine.id] })).toEqual(
      refused('INVALID'),
    );
    await expectUnchanged(before);
    expect((await server.storage.files.find(mine.id))?.messageId).toBeNull();
    // The refused clientMsgIds were not taken: the same id sends now.
    const retried = await alice.call('message:send', { roomId, clientMsgId: 'refused-4', text: 'now', fileIds: [mine.id] });
    expect(retried.message.files).toEqual([wire(mine)]);
  });

  it('sends files with a thread reply', async ({ server, alice, bob }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const root = await send(alice, roomId, 'root');
    const file = await upload(server, roomId, bob.user.id);
    const { message } = await bob.call('message:send', {
      roomId,
      clientMsgId: 'reply',
      text: 'see',
      threadRootId: root.id,
      fileIds: [file.id],
    });
    expect(message).toMatchObject({ threadRootId: root.id, files: [wire(file)] });
    expect(await alice.waitFor('message:created', (m) => m.id === message.id)).toEqual(message);
  });
});

describe('files on message:delete', () => {
  it("removes the files' rows and bytes with the message; the tombstone carries none", async ({ server, alice, bob }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const [one, two] = [await upload(server, roomId, bob.user.id), await upload(server, roomId, bob.user.id)];
    const kept = await upload(server, roomId, bob.user.id);
    const { message } = await bob.call('message:send', { roomId, clientMsgId: 'doomed', text: 'two files', fileIds: [one.id, two.id] });
    await bob.call('message:send', { roomId, clientMsgId: 'kept', text: 'one file', fileIds: [kept.id] });
    expect(await stored(server.storage, one.id)).toMatchObject({ blobs: [true, true] });

    // The room's owner deletes bob's message.
    const { message: tombstone } = await alice.call('message:delete', { roomId, messageId: message.id });
    expect(tombstone).toMatchObject({ deleted: true, text: '', files: [] });
    expect(await bob.waitFor('message:updated', (m) => m.id === message.id)).toEqual(tombstone);
    for (const id of [one.id, two.id]) expect(await stored(server.storage, id)).toEqual({ row: null, blobs: [false, false] });
    expect(await stored(server.storage, kept.id)).toMatchObject({ row: { messageId: expect.any(String) }, blobs: [true, true] });
  });

  plainIt('acknowledges the delete when the bytes cannot be deleted now, and the orphan sweep removes them later', async () => {
    const { server, alice, bob, carol } = await startWithPeople();
    try {
      const blobs = server.storage.blobs;
      const failing = { ...blobs, delete: () => Promise.reject(new Error('disk went away')) };
      Object.defineProperty(server.storage, 'blobs', { value: failing });
      const roomId = await roomOf(alice, 'public');
      const file = await upload(server, roomId, alice.user.id);
      const { message } = await alice.call('message:send', { roomId, clientMsgId: 'c', text: 'x', fileIds: [file.id] });
      expect((await alice.call('message:delete', { roomId, messageId: message.id })).message).toMatchObject({ deleted: true, files: [] });
      expect(await server.storage.files.find(file.id)).toBeNull();
      expect(await blobs.get(file.id)).not.toBeNull();
      expect(await blobs.sweepOrphans(Date.now() + 60_000)).toBe(2);
      expect(await blobs.get(file.id)).toBeNull();
      expect(await blobs.get(thumbnailKey(file.id))).toBeNull();
    } finally {
      await stopAll(server, alice, bob, carol);
    }
  });
});

describePostgres('files on messages, on PostgreSQL', () => {
  const db = useTestSchema();

  plainIt('sends files with a message and deletes their rows and bytes with it, through the app on PostgreSQL', async () => {
    const { server, alice, bob, carol } = await startWithPeople({ storage: await db.open() });
    try {
      const roomId = await roomOf(alice, 'private', [bob]);
      const [one, two] = [await upload(server, roomId, bob.user.id), await upload(server, roomId, bob.user.id)];
      const { message } = await bob.call('message:send', { roomId, clientMsgId: 'pg', text: '', fileIds: [two.id, one.id] });
      expect(message.files).toEqual([wire(two), wire(one)]);
      expect(await alice.waitFor('message:created', (m) => m.id === message.id)).toEqual(message);
      expect(await alice.request('message:send', { roomId, clientMsgId: 'pg-2', text: 'x', fileIds: [one.id] })).toEqual(
        refused('INVALID'),
      );

      const { message: tombstone } = await bob.call('message:delete', { roomId, messageId: message.id });
      expect(tombstone).toMatchObject({ deleted: true, files: [] });
      for (const id of [one.id, two.id]) expect(await stored(server.storage, id)).toEqual({ row: null, blobs: [false, false] });
    } finally {
      await stopAll(server, alice, bob, carol);
    }
  });
});
