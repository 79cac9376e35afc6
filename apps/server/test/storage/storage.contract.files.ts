import { describe, expect, it } from 'vitest';
import type { FileRecord } from '../../src/storage/files.js';
import { changed, refusedWith, T0, T1, T2, type ContractContext } from './storage.contract.support.js';

/**
 * Uploads' rows, the daily quota and files sent with messages (issue 17): part of the repository
 * suite (storage.contract.ts).
 */
export function describeFiles({ storage, send, scene }: ContractContext): void {
  const files = () => storage().files;
  const DAY = '2026-01-01';
  let n = 0;
  /** An unsent upload's record (an image unless told otherwise). */
  const record = (roomId: string, uploaderId: string, extra: Partial<FileRecord> = {}): FileRecord => ({
    id: `f_${++n}`,
    name: `picture ${n}.png`,
    type: 'image/png',
    size: 100,
    width: 640,
    height: 480,
    roomId,
    uploaderId,
    messageId: null,
    createdAt: T0,
    hasThumbnail: true,
    ...extra,
  });
  /** Stores an upload's row (well within quota). */
  const upload = async (roomId: string, uploaderId: string, extra: Partial<FileRecord> = {}) => {
    const file = record(roomId, uploaderId, extra);
    expect(await files().create(file, { day: DAY, maxBytesPerDay: 1_000_000 })).toBe('created');
    return file;
  };
  /** A file as a message carries it. */
  const wire = ({ id, name, size, type, width, height }: FileRecord) => ({ id, name, size, type, width, height });

  describe('files', () => {
    it('stores an upload and finds it, unsent', async () => {
      const { a, r } = await scene();
      const image = await upload(r.id, a.id);
      const pdf = await upload(r.id, a.id, { name: 'report.pdf', type: 'application/pdf', width: null, height: null, hasThumbnail: false });
      expect(await files().find(image.id)).toEqual(image);
      expect(await files().find(pdf.id)).toEqual(pdf);
      expect(await files().find('f_missing')).toBeNull();
    });

    it("refuses an upload that would pass the day's quota, storing nothing; other days and users are their own", async () => {
      const { a, b, r } = await scene();
      const quota = (day: string) => ({ day, maxBytesPerDay: 100 });
      expect(await files().create(record(r.id, a.id, { size: 60 }), quota(DAY))).toBe('created');
      const over = record(r.id, a.id, { size: 41 });
      expect(await files().create(over, quota(DAY))).toBe('over-quota');
      expect(await files().find(over.id)).toBeNull();
      expect(await files().usedOn(a.id, DAY)).toBe(60);
      expect(await files().create(record(r.id, a.id, { size: 40 }), quota(DAY))).toBe('created');
      expect(await files().usedOn(a.id, DAY)).toBe(100);
      expect(await files().create(record(r.id, a.id, { size: 0 }), quota(DAY))).toBe('created');
      expect(await files().create(record(r.id, a.id, { size: 1 }), quota(DAY))).toBe('over-quota');
      expect(await files().create(record(r.id, a.id, { size: 100 }), quota('2026-01-02'))).toBe('created');
      expect(await files().create(record(r.id, b.id, { size: 100 }), quota(DAY))).toBe('created');
      // A file larger than a whole day's quota, on a day with nothing yet.
      expect(await files().create(record(r.id, a.id, { size: 101 }), quota('2026-01-03'))).toBe('over-quota');
      expect(await files().usedOn(a.id, '2026-01-03')).toBe(0);
      expect(await files().usedOn(a.id, '2026-01-02')).toBe(100);
      expect(await files().usedOn(b.id, DAY)).toBe(100);
    });

    it('does not give quota back when a sent file is deleted with its message', async () => {
      const { a, r } = await scene();
      const file = record(r.id, a.id, { size: 80 });
      expect(await files().create(file, { day: DAY, maxBytesPerDay: 100 })).toBe('created');
      const { message } = await send(r.id, a.id, 'with', 'x', { fileIds: [file.id] });
      changed(await storage().messages.delete({ roomId: r.id, messageId: message.id }));
      expect(await files().usedOn(a.id, DAY)).toBe(80);
      expect(await files().create(record(r.id, a.id, { size: 21 }), { day: DAY, maxBytesPerDay: 100 })).toBe('over-quota');
    });

    it('sweeps unsent uploads older than the cutoff only, at most `limit`, and forgets past quota days', async () => {
      const { a, r } = await scene();
      const old1 = await upload(r.id, a.id, { createdAt: T0 });
      const old2 = await upload(r.id, a.id, { createdAt: T0 });
      const recent = await upload(r.id, a.id, { createdAt: T2 });
      const sentOld = await upload(r.id, a.id, { createdAt: T0 });
      await send(r.id, a.id, 'sent', 'here', { fileIds: [sentOld.id] });
      const lastYear = record(r.id, a.id, { size: 7, createdAt: T0 });
      expect(await files().create(lastYear, { day: '2025-12-31', maxBytesPerDay: 100 })).toBe('created');

      const first = await files().sweepUnsent(T1, 1);
      expect(first).toHaveLength(1);
      const second = await files().sweepUnsent(T1, 10);
      expect([...first, ...second].sort()).toEqual([old1.id, old2.id, lastYear.id].sort());
      expect(await files().sweepUnsent(T1, 10)).toEqual([]);
      expect(await files().find(old1.id)).toBeNull();
      expect(await files().find(old2.id)).toBeNull();
      expect(await files().find(recent.id)).toEqual(recent);
      expect((await files().find(sentOld.id))?.messageId).not.toBeNull();
      // The quota ledger keeps the cutoff's day and later, and forgets the days before it.
      expect(await files().usedOn(a.id, '2025-12-31')).toBe(0);
      expect(await files().usedOn(a.id, DAY)).toBe(400);
    });
  });

  describe('files sent with messages', () => {
    it('stores the files on the message in the order given, and marks them sent with it', async () => {
      const { a, r } = await scene();
      const [one, two, three] = [
        await upload(r.id, a.id),
        await upload(r.id, a.id, { width: null, height: null }),
        await upload(r.id, a.id),
      ];
      const result = await send(r.id, a.id, 'files', '', { fileIds: [three.id, one.id, two.id] });
      expect(result.created).toBe(true);
      const { message } = result;
      expect(message).toMatchObject({ text: '', seq: 1, rev: 1, files: [wire(three), wire(one), wire(two)] });
      expect(await files().find(one.id)).toEqual({ ...one, messageId: message.id });
      expect(await files().find(three.id)).toEqual({ ...three, messageId: message.id });
      // Every read path carries them.
      expect(await storage().messages.find(r.id, message.id)).toEqual(message);
      expect(await storage().messages.history(r.id, { limit: 10 })).toEqual([message]);
      expect((await storage().messages.changes(r.id, 0, 10)).messages).toEqual([message]);
      // A message without files has none, and its neighbours keep theirs.
      const plain = (await send(r.id, a.id, 'plain', 'findable text')).message;
      expect(plain.files).toEqual([]);
      const captioned = (await send(r.id, a.id, 'captioned', 'findable caption', { fileIds: [(await upload(r.id, a.id)).id] })).message;
      const hits = await storage().search.messages({ userId: a.id, text: 'findable', limit: 10 });
      expect(hits.map((hit) => hit.message)).toEqual([captioned, plain]);
      expect(captioned.files).toHaveLength(1);
    });

    it("refuses someone else's file, another room's, one already sent, or an unknown one: nothing stored, no seq taken", async () => {
      const { a, b, r, other } = await scene();
      const mine = await upload(r.id, a.id);
      const theirs = await upload(r.id, b.id);
      const elsewhere = await upload(other.id, a.id);
      const sent = await upload(r.id, a.id);
      await send(r.id, a.id, 'first', 'x', { fileIds: [sent.id] });
      const before = await storage().rooms.findById(r.id);
      const refusals = [[theirs.id], [elsewhere.id], [sent.id], ['f_missing'], [mine.id, theirs.id], [mine.id, mine.id]];
      for (const [i, fileIds] of refusals.entries()) await refusedWith(send(r.id, a.id, `x${i}`, 'x', { fileIds }), 'files-unavailable');
      expect(await storage().rooms.findById(r.id)).toEqual(before);
      expect((await storage().messages.history(r.id, { limit: 10 })).map((m) => m.clientMsgId)).toEqual(['first']);
      expect((await files().find(mine.id))?.messageId).toBeNull();
      expect((await files().find(theirs.id))?.messageId).toBeNull();
      // The file that was free still is; the refused clientMsgId was not taken.
      const next = await send(r.id, a.id, 'x4', 'now', { fileIds: [mine.id] });
      expect(next.message).toMatchObject({ seq: before!.lastSeq + 1, rev: before!.lastRev + 1, files: [wire(mine)] });
    });

    it('answers a retried clientMsgId with the original, files and all, claiming nothing new', async () => {
      const { a, r } = await scene();
      const [one, two] = [await upload(r.id, a.id), await upload(r.id, a.id)];
      const first = await send(r.id, a.id, 'c', 'hi', { fileIds: [one.id] });
      const again = await send(r.id, a.id, 'c', 'hi', { fileIds: [two.id] });
      expect(again).toEqual({ created: false, message: first.message });
      expect(again.message.files).toEqual([wire(one)]);
      expect((await files().find(two.id))?.messageId).toBeNull();
      expect(await send(r.id, a.id, 'c', 'hi', { fileIds: [one.id] })).toEqual({ created: false, message: first.message });
    });

    it('sends files with a thread reply', async () => {
      const { a, b, r } = await scene();
      const root = (await send(r.id, a.id, 'root')).message;
      const file = await upload(r.id, b.id);
      const reply = await send(r.id, b.id, 'reply', 'see', { threadRootId: root.id, fileIds: [file.id] });
      expect(reply.message).toMatchObject({ threadRootId: root.id, files: [wire(file)] });
      expect(await storage().messages.history(r.id, { threadRootId: root.id, limit: 10 })).toEqual([reply.message]);
    });

    it("deletes a message's files with it: the tombstone has none, the rows go, their ids come back once", async () => {
      const { a, r } = await scene();
      const [one, two] = [await upload(r.id, a.id), await upload(r.id, a.id)];
      const { message } = await send(r.id, a.id, 'c', 'hi', { fileIds: [two.id, one.id] });
      const kept = (await send(r.id, a.id, 'k', 'kept', { fileIds: [(await upload(r.id, a.id)).id] })).message;
      const deleted = await storage().messages.delete({ roomId: r.id, messageId: message.id });
      expect(deleted.kind === 'changed' && deleted.removedFileIds?.sort()).toEqual([one.id, two.id].sort());
      expect(changed(deleted)).toMatchObject({ deleted: true, text: '', files: [] });
      expect(await files().find(one.id)).toBeNull();
      expect(await files().find(two.id)).toBeNull();
      expect(await storage().messages.find(r.id, message.id)).toMatchObject({ files: [] });
      expect((await storage().messages.changes(r.id, 0, 10)).messages.map((m) => m.files)).toEqual([kept.files, []]);
      // Deleting again changes nothing and names no files.
      expect(await storage().messages.delete({ roomId: r.id, messageId: message.id })).toMatchObject({ kind: 'unchanged' });
      // A message without files names none.
      const plain = (await send(r.id, a.id, 'p', 'plain')).message;
      const result = await storage().messages.delete({ roomId: r.id, messageId: plain.id });
      expect(result.kind === 'changed' && (result.removedFileIds ?? [])).toEqual([]);
    });

    it("deletes a thread reply's files with it", async () => {
      const { a, r } = await scene();
      const root = (await send(r.id, a.id, 'root')).message;
      const file = await upload(r.id, a.id);
      const reply = (await send(r.id, a.id, 'reply', 'see', { threadRootId: root.id, fileIds: [file.id] })).message;
      const deleted = await storage().messages.delete({ roomId: r.id, messageId: reply.id });
      expect(deleted).toMatchObject({ kind: 'changed', removedFileIds: [file.id], root: { thread: null } });
      expect(await files().find(file.id)).toBeNull();
    });

    it('keeps the files of a deleted account (its messages stay)', async () => {
      const { b, r } = await scene();
      const file = await upload(r.id, b.id);
      const { message } = await send(r.id, b.id, 'c', 'mine', { fileIds: [file.id] });
      expect(await storage().users.markDeleted(b.id, T1)).toBe(true);
      expect((await storage().messages.find(r.id, message.id))?.files).toEqual([wire(file)]);
      expect(await files().find(file.id)).toEqual({ ...file, messageId: message.id });
    });
  });
}
