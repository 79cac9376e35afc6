import type { ErrorCode } from '@parley/protocol';
import type { Logger } from 'pino';
import { AppError } from '../domain/errors.js';
import { StorageUnavailableError } from '../storage/errors.js';

/** The code and message a client may see for a failure; internals are logged, never sent. */
export function toApiError(error: unknown, logger: Logger): { code: ErrorCode; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  if (error instanceof StorageUnavailableError) {
    logger.error({ err: error.cause ?? error }, 'storage unavailable');
    return { code: 'UNAVAILABLE', message: 'storage is unavailable; nothing was stored' };
  }
  logger.error({ err: error }, 'unexpected error');
  return { code: 'INTERNAL', message: 'internal error' };
}
