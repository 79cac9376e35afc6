import { fileUploadResultSchema, type ErrorCode, type MessageFile } from '@parley/protocol';
import { ApiError } from '../../../lib/api';

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

const UNREACHABLE = 'Cannot reach Parley. Check your connection.';

/** The server's error as the app's ApiError; a body that is not the contract's (a proxy's page) gets a plain reason. */
function uploadError(status: number, body: string): ApiError {
  let error: { code?: ErrorCode; message?: string } | undefined;
  try {
    error = (JSON.parse(body) as { error?: { code?: ErrorCode; message?: string } }).error;
  } catch {
    error = undefined;
  }
  if (error?.code && error.message) return new ApiError(status, error.code, error.message);
  if (status === 413) return new ApiError(status, 'PAYLOAD_TOO_LARGE', 'The file is too large.');
  return new ApiError(status, 'INTERNAL', `The upload failed (HTTP ${status}).`);
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
      reject(new ApiError(0, 'UNAVAILABLE', UNREACHABLE));
    });
    xhr.addEventListener('abort', () => {
      done();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    });
    xhr.send(file);
  });
}
