import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { HTTP_STATUS, type ErrorCode } from '@parley/protocol';
import type { Logger } from 'pino';
import { toApiError } from '../edge/api-error.js';
import { RateLimitedError } from '../infra/rate-limits.js';

export function sendError(res: Response, code: ErrorCode, message: string): void {
  res.status(HTTP_STATUS[code]).json({ error: { code, message } });
}

/** Maps any failure to the contract's error body. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const { code, message } = bodyParserError(error) ?? toApiError(error, logger);
    if (res.headersSent) return;
    if (error instanceof RateLimitedError) res.setHeader('retry-after', String(error.retryAfterSeconds));
    sendError(res, code, message);
  };
}

export const notFoundHandler: RequestHandler = (_req, res) => sendError(res, 'NOT_FOUND', 'no such route');

/** Errors of express.json(): too large, not JSON, unsupported encoding. */
function bodyParserError(error: unknown): { code: ErrorCode; message: string } | undefined {
  const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
  // Express's own 4xx errors, such as a path with a broken %-escape.
  if (typeof type !== 'string') {
    return typeof status === 'number' && status >= 400 && status < 500 ? { code: 'INVALID', message: 'malformed request' } : undefined;
  }
  if (type === 'entity.too.large') return { code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' };
  if (status === 400 && type === 'entity.parse.failed') return { code: 'INVALID', message: 'request body is not valid JSON' };
  if (status === 415 || type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return { code: 'INVALID', message: 'unsupported request encoding' };
  }
  if (status === 400) return { code: 'INVALID', message: 'malformed request body' };
  return undefined;
}
