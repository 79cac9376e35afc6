import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { uploadFile } from '../src/features/chat/api/files.api';
import { ApiError } from '../src/lib/api';
import { FakeXhr, storedFile } from './support/fake-xhr';

beforeEach(() => FakeXhr.install());
afterEach(() => vi.unstubAllGlobals());

const pdf = () => new File([new Uint8Array(2048)], 'report.pdf', { type: 'application/pdf' });

describe('uploadFile', () => {
  it('posts the raw file to the room with its name and type, reports progress and resolves with the stored file', async () => {
    const progress: number[][] = [];
    const file = pdf();
    const upload = uploadFile({ roomId: 'r 1', file, name: 'Q3 report?.pdf', onProgress: (sent, total) => progress.push([sent, total]) });
    const xhr = FakeXhr.last();
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/api/rooms/r%201/files?name=Q3%20report%3F.pdf');
    expect(xhr.headers['content-type']).toBe('application/pdf');
    expect(xhr.body).toBe(file);
    xhr.progress(1024, 2048);
    xhr.progress(2048, 2048);
    xhr.respond(201, { file: storedFile({ size: 2048 }) });
    await expect(upload).resolves.toEqual(storedFile({ size: 2048 }));
    expect(progress).toEqual([
      [1024, 2048],
      [2048, 2048],
    ]);
  });

  it('sends a file of no known type as application/octet-stream', () => {
    void uploadFile({ roomId: 'r_1', file: new File(['x'], 'notes'), name: 'notes' }).catch(() => undefined);
    expect(FakeXhr.last().headers['content-type']).toBe('application/octet-stream');
  });

  it('aborts the request when the signal aborts, rejecting with an AbortError', async () => {
    const controller = new AbortController();
    const upload = uploadFile({ roomId: 'r_1', file: pdf(), name: 'report.pdf', signal: controller.signal });
    controller.abort();
    await expect(upload).rejects.toMatchObject({ name: 'AbortError' });
    expect(FakeXhr.last().aborted).toBe(true);
  });

  it('does not start at all with a signal already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(uploadFile({ roomId: 'r_1', file: pdf(), name: 'report.pdf', signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(FakeXhr.requests).toEqual([]);
  });

  it("turns the server's error into an ApiError with its code and message", async () => {
    const upload = uploadFile({ roomId: 'r_1', file: pdf(), name: 'report.pdf' });
    FakeXhr.last().respond(429, { error: { code: 'RATE_LIMITED', message: 'You have uploaded 500 MB today: try again tomorrow.' } });
    const error = await upload.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED', message: 'You have uploaded 500 MB today: try again tomorrow.' });
  });

  it('says a 413 without the contract body (a proxy answered) is too large', async () => {
    const upload = uploadFile({ roomId: 'r_1', file: pdf(), name: 'report.pdf' });
    FakeXhr.last().respond(413, '<html>Request Entity Too Large</html>');
    await expect(upload).rejects.toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The file is too large.' });
  });

  it('refuses an answer that is not an upload result, and a lost connection, as ApiErrors', async () => {
    const odd = uploadFile({ roomId: 'r_1', file: pdf(), name: 'report.pdf' });
    FakeXhr.last().respond(201, { file: { id: 'f_1' } });
    await expect(odd).rejects.toMatchObject({ code: 'INTERNAL' });
    const lost = uploadFile({ roomId: 'r_1', file: pdf(), name: 'report.pdf' });
    FakeXhr.last().failNetwork();
    await expect(lost).rejects.toMatchObject({ status: 0, code: 'UNAVAILABLE' });
  });
});
