import { Transform, type TransformCallback } from 'node:stream';
import { UploadTooLargeError } from './errors.js';
import { thumbnailKey } from './files.js';

/**
 * What both BlobStores share: which keys they accept, which file a key belongs to, and counting
 * bytes as they arrive against a cap.
 */

/** Keys are file ids and their thumbnails' (files.ts blobKeys): names that can never be a path elsewhere. */
const KEY = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/;

export function assertBlobKey(key: string): void {
  if (!KEY.test(key) || key.includes('..')) throw new TypeError('a blob key is letters, digits, _ . - (not a path)');
}

export function isBlobKey(key: string): boolean {
  return KEY.test(key) && !key.includes('..');
}

/** What thumbnailKey adds to a file id. */
export const THUMBNAIL_SUFFIX = thumbnailKey('');

/** The file id a blob key belongs to (its own, or its thumbnail's file). */
export function fileIdOfKey(key: string): string {
  return key.endsWith(THUMBNAIL_SUFFIX) ? key.slice(0, -THUMBNAIL_SUFFIX.length) : key;
}

/**
 * Passes bytes through, counting them; errors with UploadTooLargeError the moment the count passes
 * `maxBytes` (before the chunk that passed it goes any further).
 */
export function byteCounter(maxBytes: number): Transform & { readonly count: number } {
  let count = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      count += chunk.byteLength;
      if (count > maxBytes) callback(new UploadTooLargeError(maxBytes));
      else callback(null, chunk);
    },
  });
  return Object.defineProperty(counter, 'count', { get: () => count }) as Transform & { readonly count: number };
}
