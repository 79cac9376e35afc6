import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StorageUnavailableError, UploadTooLargeError } from '../../src/storage/errors.js';
import { thumbnailKey, type FileRecord } from '../../src/storage/files.js';
import type { ContractContext } from './storage.contract.support.js';

/**
 * The BlobStore part of the repository suite (storage.contract.ts): both engines' stores stream,
 * cap, stay invisible until complete, and leave nothing behind when a put fails. `residue` lists
 * what the store holds below its interface (files on disk, rows of chunks), to prove "nothing left".
 */
export function describeBlobStore({ storage, user, room }: ContractContext, residue: () => Promise<string[]>): void {
  const blobs = () => storage().blobs;
  const MiB = 1024 * 1024;

  /** `bytes` in pieces of irregular sizes (never aligned with a chunk). */
  async function* pieces(bytes: Buffer, size = 100_003) {
    for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
  }
  const read = async (key: string) => {
    const blob = await blobs().get(key);
    if (!blob) return null;
    const parts: Buffer[] = [];
    for await (const part of blob.stream) parts.push(part as Buffer);
    return { size: blob.size, bytes: Buffer.concat(parts) };
  };
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  /** A source that yields `first`, then waits for release() before yielding `rest`; `paused` resolves when it waits. */
  const pausable = (first: Buffer, rest: Buffer) => {
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const paused = new Promise<void>((resolve) => (reached = resolve));
    async function* source() {
      yield first;
      reached();
      await gate;
      yield rest;
    }
    return { source: source(), paused, release };
  };
  const until = async (condition: () => Promise<boolean>, what: string) => {
    const deadline = Date.now() + 5_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const rejection = (pending: Promise<unknown>) =>
    pending.then(
      () => undefined,
      (error: unknown) => error,
    );

  describe('blob store', () => {
    it('stores 3 MiB streamed in and gives the same bytes back, streamed out', async () => {
      const bytes = randomBytes(3 * MiB + 17);
      expect(await blobs().put('f_big', pieces(bytes), 25 * MiB)).toBe(bytes.length);
      const back = await read('f_big');
      expect(back?.size).toBe(bytes.length);
      expect(sha256(back!.bytes)).toBe(sha256(bytes));
      expect(await blobs().get('f_other')).toBeNull();
    });

    it('stores an empty blob', async () => {
      expect(await blobs().put('f_empty', pieces(Buffer.alloc(0)), 10)).toBe(0);
      expect(await read('f_empty')).toEqual({ size: 0, bytes: Buffer.alloc(0) });
    });

    it('accepts exactly the cap, and refuses one byte more as soon as it arrives, leaving nothing', async () => {
      const cap = MiB;
      expect(await blobs().put('f_exact', pieces(randomBytes(cap)), cap)).toBe(cap);
      let yielded = 0;
      async function* tooLong() {
        for (let i = 0; i < 6; i++) {
          yielded += 1;
          yield randomBytes(MiB / 2 + 1);
        }
      }
      const error = await rejection(blobs().put('f_large', tooLong(), cap));
      expect(error).toBeInstanceOf(UploadTooLargeError);
      expect((error as UploadTooLargeError).maxBytes).toBe(cap);
      expect(yielded).toBe(2); // stopped at the piece that passed the cap, not read to the end
      expect(await blobs().get('f_large')).toBeNull();
      await blobs().delete(['f_exact']);
      expect(await residue()).toEqual([]);
    });

    it("fails with the source's own error when it fails midway, leaving nothing", async () => {
      const gone = new Error('client went away');
      async function* failing() {
        yield randomBytes(300 * 1024);
        yield randomBytes(300 * 1024);
        throw gone;
      }
      expect(await rejection(blobs().put('f_cut', failing(), 25 * MiB))).toBe(gone);
      expect(await blobs().get('f_cut')).toBeNull();
      expect(await residue()).toEqual([]);
    });

    it('shows nothing under the key until the whole blob is stored', async () => {
      const [first, rest] = [randomBytes(600 * 1024), randomBytes(100 * 1024)];
      const { source, paused, release } = pausable(first, rest);
      const put = blobs().put('f_slow', source, 25 * MiB);
      await paused;
      await until(async () => (await residue()).length > 0, 'the first bytes to be stored');
      expect(await blobs().get('f_slow')).toBeNull();
      release();
      expect(await put).toBe(first.length + rest.length);
      expect(sha256((await read('f_slow'))!.bytes)).toBe(sha256(Buffer.concat([first, rest])));
    });

    it('refuses keys that could name a path', async () => {
      for (const key of ['../x', 'a/b', '.tmp-x', '', 'a\\b', '..']) {
        await expect(blobs().put(key, pieces(Buffer.from('x')), 10)).rejects.toBeInstanceOf(TypeError);
        expect(await blobs().get(key)).toBeNull();
      }
      expect(await residue()).toEqual([]);
    });

    it('deletes blobs, missing ones being fine', async () => {
      await blobs().put('f_a', pieces(Buffer.from('aaa')), 10);
      await blobs().put(thumbnailKey('f_a'), pieces(Buffer.from('thumb')), 10);
      await blobs().put('f_b', pieces(Buffer.from('bbb')), 10);
      await blobs().delete(['f_a', thumbnailKey('f_a'), 'f_missing']);
      expect(await blobs().get('f_a')).toBeNull();
      expect(await blobs().get(thumbnailKey('f_a'))).toBeNull();
      expect((await read('f_b'))?.bytes.toString()).toBe('bbb');
      await blobs().delete([]);
      await blobs().delete(['f_b']);
      expect(await residue()).toEqual([]);
    });

    it('sweeps blobs whose file has no row, older than the cutoff, and uploads left incomplete', async () => {
      const a = await user();
      const r = await room('public', a.id);
      const record: FileRecord = {
        id: 'f_kept',
        name: 'kept.png',
        type: 'image/png',
        size: 3,
        width: 1,
        height: 1,
        roomId: r.id,
        uploaderId: a.id,
        messageId: null,
        createdAt: new Date().toISOString(),
        hasThumbnail: true,
      };
      expect(await storage().files.create(record, { day: '2026-01-01', maxBytesPerDay: 100 })).toBe('created');
      for (const key of ['f_kept', thumbnailKey('f_kept'), 'f_orphan', thumbnailKey('f_orphan')]) {
        await blobs().put(key, pieces(Buffer.from(key)), 100);
      }
      // Everything is newer than a cutoff in the past: nothing goes.
      expect(await blobs().sweepOrphans(Date.now() - 60_000)).toBe(0);
      expect(await blobs().get('f_orphan')).not.toBeNull();

      // An upload in progress, its first bytes stored.
      const { source, paused, release } = pausable(randomBytes(600 * 1024), randomBytes(10));
      const put = rejection(blobs().put('f_stalled', source, 25 * MiB));
      await paused;
      await until(async () => (await residue()).some((name) => !/^f_(kept|orphan)/.test(name)), 'the upload to be stored in part');

      expect(await blobs().sweepOrphans(Date.now() + 60_000)).toBe(3);
      expect(await blobs().get('f_orphan')).toBeNull();
      expect(await blobs().get(thumbnailKey('f_orphan'))).toBeNull();
      expect((await read('f_kept'))?.bytes.toString()).toBe('f_kept');
      expect((await read(thumbnailKey('f_kept')))?.bytes.toString()).toBe(thumbnailKey('f_kept'));
      // The swept upload cannot complete into a blob with holes: it fails, and leaves nothing.
      release();
      expect(await put).toBeInstanceOf(StorageUnavailableError);
      expect(await blobs().get('f_stalled')).toBeNull();
      expect((await residue()).sort()).toEqual(['f_kept', thumbnailKey('f_kept')].sort());
    });
  });
}
