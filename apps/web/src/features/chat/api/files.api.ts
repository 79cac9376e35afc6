import { fileUploadResultSchema, type MessageFile } from '@parley/protocol';
import { ApiError, UNREACHABLE_MESSAGE, apiErrorFrom } from '../../../lib/api';

/** The bytes of a file (inline for raster images, a download otherwise: the server decides). */
export function fileUrl(fileId: string): string {
  return `/api/files/${encodeURIComponent(fileId)}`;
}

/** The webp thumbnail of an image (404 for anything else). */
export function thumbnailUrl(fileId: string): string {
  return `/api/files/${encodeURIComponent(fileId)}/thumbnail`;
}

export interface UploadOptions {
  roomId: string;
  file: Blob;
  /** The file's name as sent (`?name=`): a pasted image may have none of its own. */
  name: string;
  /** Bytes sent so far of the total, as the browser reports them. */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

/** The server's error as the app's ApiError; a body that is not the contract's (a proxy's page) gets a plain reason. */
function uploadError(status: number, body: string): ApiError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const fallback =
    status === 413
      ? ({ code: 'PAYLOAD_TOO_LARGE', message: 'The file is too large.' } as const)
      : ({ code: 'INTERNAL', message: `The upload failed (HTTP ${status}).` } as const);
  return apiErrorFrom(status, parsed, fallback);
}

/**
 * Uploads one file to a room (`POST /api/rooms/:id/files`, the raw bytes as the body, its type as
 * `Content-Type`): resolves with the stored file, to send in a message by its id. An
 * XMLHttpRequest, because fetch reports no upload progress. Aborting rejects with an `AbortError`;
 * every other failure is an ApiError with the server's reason.
 */
export function uploadFile({ roomId, file, name, onProgress, signal }: UploadOptions): Promise<MessageFile> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);

    xhr.open('POST', `/api/rooms/${encodeURIComponent(roomId)}/files?name=${encodeURIComponent(name)}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded, event.total);
    });
    xhr.addEventListener('load', () => {
      done();
      if (xhr.status !== 201) {
        reject(uploadError(xhr.status, xhr.responseText));
        return;
      }
      let parsed: ReturnType<typeof fileUploadResultSchema.safeParse>;
      try {
        parsed = fileUploadResultSchema.safeParse(JSON.parse(xhr.responseText));
      } catch {
        reject(new ApiError(xhr.status, 'INTERNAL', 'The server answered the upload with something unreadable.'));
        return;
      }
      if (parsed.success) resolve(parsed.data.file);
      else reject(new ApiError(xhr.status, 'INTERNAL', 'The server answered the upload with something unreadable.'));
    });
    xhr.addEventListener('error', () => {
      done();
      reject(new ApiError(0, 'UNAVAILABLE', UNREACHABLE_MESSAGE));
    });
    xhr.addEventListener('abort', () => {
      done();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    });
    xhr.send(file);
  });
}
