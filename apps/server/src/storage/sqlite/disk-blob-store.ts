import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { assertBlobKey, byteCounter, fileIdOfKey, isBlobKey } from '../blob-keys.js';
import { StorageUnavailableError, UploadTooLargeError } from '../errors.js';
import type { BlobStore, StoredBlob } from '../files.js';

export interface DiskBlobStoreOptions {
  /** The folder of the blobs (DATA_DIR/files); created when missing. */
  dir: string;
  /** Those of these file ids that have a `files` row (the sweep keeps their blobs). */
  knownFileIds(fileIds: readonly string[]): Set<string> | Promise<Set<string>>;
}

const TEMP_PREFIX = '.tmp-';

const isMissing = (error: unknown) => (error as { code?: unknown }).code === 'ENOENT';

/**
 * The embedded engine's blobs: one file per key in one folder. A put streams into a temporary
 * file (`.tmp-<random>`), flushes it to disk, then renames it to its key and syncs the folder: a
 * crash at any point leaves either nothing under the key or the whole blob (and maybe a temporary
 * file, which sweepOrphans removes). Keys are checked (blob-keys.ts), so none can name a path.
 */
export function createDiskBlobStore({ dir, knownFileIds }: DiskBlobStoreOptions): BlobStore {
  let ready: Promise<unknown> | undefined;
  const folder = () => (ready ??= fsp.mkdir(dir, { recursive: true }));
  const unavailable = (error: unknown) => new StorageUnavailableError('file storage failed', { cause: error });

  /** Makes the rename durable: the folder's entry is on disk once this resolves. */
  const syncFolder = async () => {
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  };

  const unlinkIfThere = async (file: string) => {
    try {
      await fsp.unlink(file);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw unavailable(error);
    }
  };

  return {
    async put(key, source, maxBytes) {
      assertBlobKey(key);
      await folder().catch((error: unknown) => {
        ready = undefined;
        throw unavailable(error);
      });
      const temp = path.join(dir, `${TEMP_PREFIX}${randomBytes(12).toString('hex')}`);
      // The source's own failure (a client gone mid-upload) is the caller's to see, unchanged.
      let sourceError: unknown;
      const guarded = async function* () {
        try {
          for await (const chunk of source) yield chunk;
        } catch (error) {
          sourceError = error;
          throw error;
        }
      };
      const counter = byteCounter(maxBytes);
      try {
        await pipeline(guarded(), counter, fs.createWriteStream(temp, { flags: 'wx', flush: true }));
        await fsp.rename(temp, path.join(dir, key));
        await syncFolder();
        return counter.count;
      } catch (error) {
        await fsp.rm(temp, { force: true }).catch(() => undefined);
        if (error instanceof UploadTooLargeError || (sourceError !== undefined && error === sourceError)) throw error;
        throw unavailable(error);
      }
    },

    async get(key): Promise<StoredBlob | null> {
      if (!isBlobKey(key)) return null;
      let handle: fsp.FileHandle;
      try {
        handle = await fsp.open(path.join(dir, key), 'r');
      } catch (error) {
        if (isMissing(error)) return null;
        throw unavailable(error);
      }
      try {
        const { size } = await handle.stat();
        // The open handle keeps the bytes readable even if the blob is deleted meanwhile.
        return { size, stream: handle.createReadStream() };
      } catch (error) {
        await handle.close().catch(() => undefined);
        throw unavailable(error);
      }
    },

    async delete(keys) {
      for (const key of keys) assertBlobKey(key);
      await Promise.all(keys.map((key) => unlinkIfThere(path.join(dir, key))));
    },

    async sweepOrphans(olderThan) {
      let names: string[];
      try {
        names = await fsp.readdir(dir);
      } catch (error) {
        if (isMissing(error)) return 0;
        throw unavailable(error);
      }
      const old: string[] = [];
      for (const name of names) {
        if (!name.startsWith(TEMP_PREFIX) && !isBlobKey(name)) continue;
        try {
          const { mtimeMs } = await fsp.stat(path.join(dir, name));
          if (mtimeMs < olderThan) old.push(name);
        } catch (error) {
          if (!isMissing(error)) throw unavailable(error);
        }
      }
      const blobs = old.filter((name) => !name.startsWith(TEMP_PREFIX));
      const known = blobs.length === 0 ? new Set<string>() : await knownFileIds([...new Set(blobs.map(fileIdOfKey))]);
      const orphans = old.filter((name) => name.startsWith(TEMP_PREFIX) || !known.has(fileIdOfKey(name)));
      let removed = 0;
      for (const name of orphans) if (await unlinkIfThere(path.join(dir, name))) removed += 1;
      return removed;
    },
  };
}
