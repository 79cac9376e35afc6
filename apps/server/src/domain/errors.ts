import type { ErrorCode } from '@parley/protocol';

/** A failure the caller should hear about, with the contract's code and a safe message. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what = 'room') => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message: string) => new AppError('FORBIDDEN', message);
export const invalid = (message: string) => new AppError('INVALID', message);
