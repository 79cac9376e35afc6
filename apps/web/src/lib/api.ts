import type { ErrorCode } from '@parley/protocol';

/** A failed HTTP call, with the contract's error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const UNREACHABLE_MESSAGE = 'Cannot reach Parley. Check your connection.';

/**
 * A failed call's answer as an ApiError: the contract's `{ error: { code, message } }` when the body
 * is one, else `fallback` (a proxy's page, an empty body).
 */
export function apiErrorFrom(status: number, body: unknown, fallback: { code: ErrorCode; message: string }): ApiError {
  const error = (body as { error?: { code?: ErrorCode; message?: string } } | undefined)?.error;
  return new ApiError(status, error?.code ?? fallback.code, error?.message ?? fallback.message);
}

/** Fetches JSON from the Parley API with the session cookie; throws ApiError on failure. */
export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new ApiError(0, 'UNAVAILABLE', UNREACHABLE_MESSAGE);
  }
  if (res.status === 204) return undefined as T;
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw apiErrorFrom(res.status, body, { code: 'INTERNAL', message: `HTTP ${res.status}` });
  return body as T;
}
