import type { Readable } from 'node:stream';
import type { MessageFile } from '@parley/protocol';

/**
 * Issue 17: files sent in conversations. The metadata lives in the database (table `files`, migration
 * 6); the bytes in a BlobStore: under DATA_DIR/files on the embedded engine, in PostgreSQL (chunked
 * `bytea`, streamed) with DATABASE_URL so every node serves every file (docs/adr/0008).
 */

/** A stored upload, sent or not. */
export interface FileRecord extends MessageFile {
  roomId: string;
  uploaderId: string;
  /** The message it was sent with; null until then. */
  messageId: string | null;
  createdAt: string;
  /** A thumbnail was stored under thumbnailKey(id) (raster images sharp could read). */
  hasThumbnail: boolean;
}

/** The blob keys of a file: its bytes, and its thumbnail. */
export function blobKeys(fileId: string): [content: string, thumbnail: string] {
  return [fileId, thumbnailKey(fileId)];
}
export function thumbnailKey(fileId: string): string {
  return `${fileId}.thumb`;
}

/**
 * The bytes of a blob as stored: a stream read from storage a piece at a time, and its length. The
 * reader reads it to its end or destroys it (on disk it holds the file open until then).
 */
export interface StoredBlob {
  size: number;
  stream: Readable;
}

/**
 * Where file bytes live. `put` streams in (never the whole file in memory) and is atomic: `get` sees
 * nothing under the key until every byte is stored; a failed or aborted put leaves nothing behind.
 */
export interface BlobStore {
  /**
   * Streams `source` in under `key`, counting bytes as they arrive; more than `maxBytes` rejects with
   * UploadTooLargeError (storage/errors.ts) as soon as the count passes it, and nothing is left.
   * Resolves with the number of bytes stored. An error of `source` itself (a client gone mid-upload)
   * rejects with that same error; storage failing, with StorageUnavailableError; a key that is not
   * letters, digits, `_`, `.`, `-` (storage/blob-keys.ts), with TypeError. Either way nothing is left.
   * A put of a key that exists replaces its blob (keys are ids: it does not happen).
   */
  put(key: string, source: AsyncIterable<Uint8Array>, maxBytes: number): Promise<number>;
  /** The blob, null when there is none under the key. */
  get(key: string): Promise<StoredBlob | null>;
  /** Deletes the blobs (missing ones are fine). */
  delete(keys: readonly string[]): Promise<void>;
  /**
   * Deletes blobs that no `files` row names (what a crash between storing bytes and their row, or
   * between a row's removal and its bytes', leaves), older than `olderThan` (ms since the epoch) so
   * uploads in progress are kept. Returns how many it removed.
   */
  sweepOrphans(olderThan: number): Promise<number>;
}

export type FileCreateResult = 'created' | 'over-quota';

export interface FileRepository {
  /**
   * Stores a complete upload's row and adds its size to the uploader's bytes of `day` (a UTC
   * `YYYY-MM-DD`), in one transaction that refuses ('over-quota', nothing stored) when the day's
   * total would pass `maxBytesPerDay`.
   */
  create(file: FileRecord, quota: { day: string; maxBytesPerDay: number }): Promise<FileCreateResult>;
  find(id: string): Promise<FileRecord | null>;
  /** Bytes the user uploaded on `day` (UTC `YYYY-MM-DD`). */
  usedOn(userId: string, day: string): Promise<number>;
  /**
   * Removes rows of files never sent and created before `before` (ISO time), at most `limit`;
   * returns their ids (the caller deletes their blobs). Also forgets quota days before `before`'s day.
   */
  sweepUnsent(before: string, limit: number): Promise<string[]>;
}
