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
    throw new ApiError(0, 'UNAVAILABLE', 'Cannot reach Parley. Check your connection.');
  }
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => undefined)) as { error?: { code: ErrorCode; message: string } } | undefined;
  if (!res.ok) {
    throw new ApiError(res.status, body?.error?.code ?? 'INTERNAL', body?.error?.message ?? `HTTP ${res.status}`);
  }
  return body as T;
}
