import type { MutationRefusal } from './storage.js';

/** Storage could not do what was asked (down, full, busy, closed): nothing was stored. */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A write broke a uniqueness rule (a taken username, a repeated key). */
export class DuplicateKeyError extends Error {
  override name = 'DuplicateKeyError';
}

/** What is stored refuses the change (checked inside its transaction): nothing was stored. */
export class MutationRefusedError extends Error {
  override name = 'MutationRefusedError';
  constructor(readonly reason: MutationRefusal) {
    super(`refused: ${reason}`);
  }
}

/** A BlobStore put saw more bytes than its cap allows; nothing was kept. */
export class UploadTooLargeError extends Error {
  override name = 'UploadTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
  }
}
