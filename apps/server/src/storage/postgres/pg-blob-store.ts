import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { assertBlobKey, isBlobKey, THUMBNAIL_SUFFIX } from '../blob-keys.js';
import { StorageUnavailableError, UploadTooLargeError } from '../errors.js';
import type { BlobStore, StoredBlob } from '../files.js';
import { statement, type Db } from './db.js';

/** Bytes per `file_chunks` row: a 25 MiB upload is 100 rows, and at most one chunk is held in memory. */
export const CHUNK_BYTES = 256 * 1024;

const INSERT_CHUNK = statement('blobs.insertChunk', 'INSERT INTO file_chunks (key, n, data, created_at) VALUES ($1, $2, $3, $4)');
// Makes a complete upload visible under its key in one statement, if all its $5 chunks are there (a
// sweep may have taken those of an upload idle for too long). A blob put again replaces the old one,
// whose chunks go with it. No row back: not published.
const PUBLISH = statement(
  'blobs.publish',
  `WITH complete AS (SELECT count(*) = $5::int AS ok FROM file_chunks WHERE key = $2),
        old AS (SELECT upload_key FROM file_blobs WHERE key = $1 AND (SELECT ok FROM complete) FOR UPDATE),
        published AS (
          INSERT INTO file_blobs (key, upload_key, size, created_at) SELECT $1, $2, $3, $4 WHERE (SELECT ok FROM complete)
          ON CONFLICT (key) DO UPDATE SET upload_key = EXCLUDED.upload_key, size = EXCLUDED.size, created_at = EXCLUDED.created_at
        ),
        replaced AS (DELETE FROM file_chunks WHERE key IN (SELECT upload_key FROM old))
   SELECT 1 FROM complete WHERE ok`,
);
const DROP_UPLOAD = statement('blobs.dropUpload', 'DELETE FROM file_chunks WHERE key = $1');
const FIND = statement('blobs.find', 'SELECT upload_key, size FROM file_blobs WHERE key = $1');
const READ_CHUNK = statement('blobs.readChunk', 'SELECT data FROM file_chunks WHERE key = $1 AND n = $2');
const DELETE = statement(
  'blobs.delete',
  `WITH gone AS (DELETE FROM file_blobs WHERE key = ANY ($1::text[]) RETURNING upload_key)
   DELETE FROM file_chunks WHERE key IN (SELECT upload_key FROM gone)`,
);
// Blobs older than $1 whose file (its own, or its thumbnail's) has no row, and their chunks.
const SWEEP_BLOBS = statement(
  'blobs.sweepBlobs',
  `WITH gone AS (
     DELETE FROM file_blobs b
      WHERE b.created_at < $1
        AND NOT EXISTS (SELECT 1 FROM files f
                         WHERE f.id = CASE WHEN right(b.key, $2::int) = $3 THEN left(b.key, -$2::int) ELSE b.key END)
     RETURNING upload_key
   ), chunks AS (DELETE FROM file_chunks WHERE key IN (SELECT upload_key FROM gone))
   SELECT count(*) AS removed FROM gone`,
);
// Chunks of uploads never published and idle since before $1 (a node that died mid-put, or a put
// that stalled): no chunk of theirs is newer.
const SWEEP_UPLOADS = statement(
  'blobs.sweepUploads',
  `WITH stale AS (
     SELECT c.key FROM file_chunks c
      WHERE c.n = 0 AND c.created_at < $1
        AND NOT EXISTS (SELECT 1 FROM file_blobs b WHERE b.upload_key = c.key)
        AND NOT EXISTS (SELECT 1 FROM file_chunks later WHERE later.key = c.key AND later.created_at >= $1)
   ), gone AS (DELETE FROM file_chunks WHERE key IN (SELECT key FROM stale))
   SELECT count(*) AS removed FROM stale`,
);

/**
 * File bytes in PostgreSQL, so every node serves every file: `bytea` chunks of CHUNK_BYTES streamed
 * in (each chunk its own short statement: a slow upload holds no connection between chunks) under
 * a fresh upload key, then published under the blob's key by one `file_blobs` row. Until then `get`
 * sees nothing; a put that fails deletes its chunks (and the sweep those of a node that died, once
 * idle for longer than its cutoff).
 * Reading streams a chunk at a time, on demand.
 */
export function createPgBlobStore(db: Db): BlobStore {
  /** Best effort: what a failed put leaves is the sweep's when PostgreSQL cannot be reached now. */
  const dropUpload = (uploadKey: string) => db.query(DROP_UPLOAD, [uploadKey]).catch(() => undefined);

  return {
    async put(key, source, maxBytes) {
      assertBlobKey(key);
      const uploadKey = `.upload-${randomBytes(12).toString('hex')}`;
      const startedAt = Date.now();
      let size = 0;
      let n = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const writeChunk = async (data: Buffer) => {
        await db.query(INSERT_CHUNK, [uploadKey, n, data, Date.now()]);
        n += 1;
      };
      try {
        for await (const piece of source) {
          size += piece.byteLength;
          if (size > maxBytes) throw new UploadTooLargeError(maxBytes);
          pending.push(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
          pendingBytes += piece.byteLength;
          while (pendingBytes >= CHUNK_BYTES) {
            const joined = Buffer.concat(pending, pendingBytes);
            // A copy: the chunk must not pin the rest of `joined` (or the source's buffers) in memory.
            await writeChunk(Buffer.from(joined.subarray(0, CHUNK_BYTES)));
            pending = pendingBytes > CHUNK_BYTES ? [joined.subarray(CHUNK_BYTES)] : [];
            pendingBytes -= CHUNK_BYTES;
          }
        }
        if (pendingBytes > 0) await writeChunk(Buffer.concat(pending, pendingBytes));
        pending = [];
        const published = await db.query(PUBLISH, [key, uploadKey, size, startedAt, n]);
        if (published.rows.length === 0) throw new StorageUnavailableError('the upload was swept before it was complete');
        return size;
      } catch (error) {
        if (n > 0) await dropUpload(uploadKey);
        throw error;
      }
    },

    async get(key): Promise<StoredBlob | null> {
      if (!isBlobKey(key)) return null;
      const row = (await db.query<{ upload_key: string; size: string }>(FIND, [key])).rows[0];
      if (!row) return null;
      const size = Number(row.size);
      const chunks = Math.ceil(size / CHUNK_BYTES);
      let n = 0;
      const stream = new Readable({
        // Called again only after the previous push: one chunk in flight, fetched when wanted.
        read() {
          if (n >= chunks) {
            this.push(null);
            return;
          }
          db.query<{ data: Buffer }>(READ_CHUNK, [row.upload_key, n]).then(
            ({ rows }) => {
              if (!rows[0]) {
                this.destroy(new StorageUnavailableError('the blob was deleted while it was read'));
                return;
              }
              n += 1;
              this.push(rows[0].data);
            },
            (error: unknown) => this.destroy(error as Error),
          );
        },
      });
      return { size, stream };
    },

    async delete(keys) {
      for (const key of keys) assertBlobKey(key);
      if (keys.length > 0) await db.query(DELETE, [keys]);
    },

    async sweepOrphans(olderThan) {
      const blobs = await db.query<{ removed: string }>(SWEEP_BLOBS, [olderThan, THUMBNAIL_SUFFIX.length, THUMBNAIL_SUFFIX]);
      const uploads = await db.query<{ removed: string }>(SWEEP_UPLOADS, [olderThan]);
      return Number(blobs.rows[0]?.removed ?? 0) + Number(uploads.rows[0]?.removed ?? 0);
    },
  };
}
