/**
 * The file routes (issue 17) through the real app, as one set of cases that files.test.ts runs on
 * SQLite and on PostgreSQL: upload, send, who may fetch, deletion, the cap, the quota, type lies,
 * images and their thumbnails, the sweep.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { expect, it } from 'vitest';
import sharp from 'sharp';
import type { AppDeps } from '../../src/app.js';
import { stopAll, type Client, type TestServer } from '../support/harness.js';
import { roomOf } from '../realtime/conversation.support.js';
import {
  expectNothingStored,
  expectNotFound,
  fetchFile,
  filesUnder,
  png,
  pngBomb,
  sidewaysJpeg,
  streamUpload,
  upload,
  uploaded,
} from './files.support.js';

export interface Cast {
  server: TestServer;
  alice: Client;
  bob: Client;
  carol: Client;
}
export type StartCast = (overrides?: Partial<AppDeps>) => Promise<Cast>;

let sent = 0;
async function sendFiles(from: Client, roomId: string, fileIds: string[], text = '') {
  sent += 1;
  return (await from.call('message:send', { roomId, clientMsgId: `files-${sent}`, text, fileIds })).message;
}

/** Runs a test with its own cast, stopped after it whatever happens. */
function withCast(start: StartCast, test: (cast: Cast) => Promise<void>, overrides?: Partial<AppDeps>) {
  return async () => {
    const cast = await start(overrides);
    try {
      await test(cast);
    } finally {
      await stopAll(cast.server, cast.alice, cast.bob, cast.carol);
    }
  };
}

export function fileCases(start: StartCast): void {
  it(
    'stores an upload, serves it to its uploader only until it is sent, then to the members of its room; deleting the message deletes it',
    withCast(start, async ({ server, alice, bob, carol }) => {
      const roomId = await roomOf(alice, 'private', [bob]);
      const bytes = randomBytes(300_000);
      const file = await uploaded(server, alice, roomId, 'Q3 report.pdf', bytes, 'application/pdf');
      expect(file).toEqual({
        id: expect.any(String),
        name: 'Q3 report.pdf',
        size: bytes.length,
        type: 'application/pdf',
        width: null,
        height: null,
      });

      const before = await fetchFile(server.url, alice.person.token, file.id);
      expect(before.status).toBe(200);
      expect(before.bytes.equals(bytes)).toBe(true);
      await expectNotFound(server.url, bob.person.token, file.id);
      await expectNotFound(server.url, carol.person.token, file.id);

      const message = await sendFiles(alice, roomId, [file.id]);
      expect(message).toMatchObject({ text: '', files: [file] });
      const got = await fetchFile(server.url, bob.person.token, file.id);
      expect(got.status).toBe(200);
      expect(got.bytes.equals(bytes)).toBe(true);
      expect(
        Object.fromEntries(
          [
            'content-type',
            'content-length',
            'content-disposition',
            'x-content-type-options',
            'content-security-policy',
            'cross-origin-resource-policy',
            'cache-control',
          ].map((h) => [h, got.headers.get(h)]),
        ),
      ).toEqual({
        'content-type': 'application/pdf',
        'content-length': String(bytes.length),
        'content-disposition': `attachment; filename="Q3 report.pdf"`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cross-origin-resource-policy': 'same-origin',
        'cache-control': 'private, max-age=300',
      });
      // Revalidation checks access again and sends no bytes.
      const etag = got.headers.get('etag')!;
      const revalidated = await fetchFile(server.url, bob.person.token, file.id, false, { 'if-none-match': etag });
      expect([revalidated.status, revalidated.bytes.length]).toEqual([304, 0]);
      await expectNotFound(server.url, bob.person.token, file.id, true); // no thumbnail for a PDF
      await expectNotFound(server.url, carol.person.token, file.id);

      // Sent once: another message may not carry it again.
      const again = await alice.request('message:send', { roomId, clientMsgId: 'files-again', text: '', fileIds: [file.id] });
      expect(again).toMatchObject({ ok: false, error: { code: 'INVALID' } });

      await alice.call('message:delete', { roomId, messageId: message.id });
      await expectNotFound(server.url, alice.person.token, file.id);
      await expectNotFound(server.url, bob.person.token, file.id);
      expect(await server.storage.files.find(file.id)).toBeNull();
      expect(await server.storage.blobs.get(file.id)).toBeNull();
    }),
  );

  it(
    'reads the size of PNG and JPEG images (EXIF orientation applied) and serves a WebP thumbnail inline that never enlarges them',
    withCast(start, async ({ server, alice, bob }) => {
      const roomId = await roomOf(alice, 'public', [bob]);
      const wide = await uploaded(server, alice, roomId, 'wide.png', await png(1200, 800), 'image/png');
      expect(wide).toMatchObject({ type: 'image/png', width: 1200, height: 800 });
      // Stored 300 x 200 with "rotate a quarter turn": shown, and measured, 200 x 300.
      const photo = await uploaded(server, alice, roomId, 'photo.jpg', await sidewaysJpeg(300, 200), 'image/jpeg');
      expect(photo).toMatchObject({ type: 'image/jpeg', width: 200, height: 300 });
      // The bytes decide a raster image's type, whatever was declared.
      const mislabelled = await uploaded(server, alice, roomId, 'really-a-png.jpg', await png(10, 10), 'image/jpeg');
      expect(mislabelled).toMatchObject({ type: 'image/png', width: 10, height: 10 });
      await sendFiles(alice, roomId, [wide.id, photo.id, mislabelled.id], 'pictures');

      for (const [file, size] of [
        [wide, [400, 267]],
        [photo, [200, 300]],
      ] as const) {
        const thumbnail = await fetchFile(server.url, bob.person.token, file.id, true);
        expect(thumbnail.status).toBe(200);
        expect(thumbnail.headers.get('content-type')).toBe('image/webp');
        expect(thumbnail.headers.get('content-disposition')).toBe(`inline; filename=${file.name.replace(/\.[a-z]+$/, '.webp')}`);
        const meta = await sharp(thumbnail.bytes).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual(['webp', ...size]);
      }
      const full = await fetchFile(server.url, bob.person.token, wide.id);
      expect([full.status, full.headers.get('content-type'), full.headers.get('content-disposition')]).toEqual([
        200,
        'image/png',
        'inline; filename=wide.png',
      ]);
    }),
  );

  it(
    'never serves a type lie, SVG or HTML as anything but a sandboxed download, and keeps an image it cannot read as a plain file',
    withCast(start, async ({ server, alice, bob }) => {
      const roomId = await roomOf(alice, 'public', [bob]);
      const page = Buffer.from('<!doctype html><html><body><script>fetch("/api/me")</script></body></html>');
      const lie = await uploaded(server, alice, roomId, 'cat.png', page, 'image/png');
      expect(lie).toMatchObject({ type: 'application/octet-stream', width: null, height: null });
      const svg = await uploaded(
        server,
        alice,
        roomId,
        'logo.svg',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        'image/svg+xml',
      );
      expect(svg.type).toBe('image/svg+xml');
      const html = await uploaded(server, alice, roomId, 'page.html', page, 'Text/HTML; charset=utf-8');
      expect(html.type).toBe('text/html');
      // A PNG signature over garbage: sharp cannot read it, so it is no image at all.
      const broken = await uploaded(
        server,
        alice,
        roomId,
        'broken.png',
        Buffer.concat([(await png(50, 50)).subarray(0, 40), randomBytes(2000)]),
        'image/png',
      );
      expect(broken).toMatchObject({ type: 'application/octet-stream', width: null, height: null });
      // 64 megapixels from 64 KiB: refused by its header, before decoding.
      const bomb = await uploaded(server, alice, roomId, 'bomb.png', pngBomb(), 'image/png');
      expect(bomb).toMatchObject({ type: 'application/octet-stream', width: null, height: null });
      // No body parser reads an upload: JSON over express.json()'s 64 KiB is a file like any other.
      const json = await uploaded(
        server,
        alice,
        roomId,
        'data.json',
        Buffer.from(JSON.stringify({ a: 'x'.repeat(100_000) })),
        'application/json',
      );
      expect([json.type, json.size]).toEqual(['application/json', 100_008]);
      const untyped = await uploaded(server, alice, roomId, 'blob.bin', randomBytes(100));
      expect(untyped.type).toBe('application/octet-stream');
      await sendFiles(alice, roomId, [lie.id, svg.id, html.id, broken.id]);

      for (const [file, type] of [
        [lie, 'application/octet-stream'],
        [svg, 'image/svg+xml'],
        [html, 'text/html'],
        [broken, 'application/octet-stream'],
      ] as const) {
        const got = await fetchFile(server.url, bob.person.token, file.id);
        expect(got.status).toBe(200);
        expect(got.headers.get('content-type')).toBe(type);
        expect(got.headers.get('content-disposition')).toBe(`attachment; filename=${file.name}`);
        expect(got.headers.get('x-content-type-options')).toBe('nosniff');
        expect(got.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
        await expectNotFound(server.url, bob.person.token, file.id, true);
      }
    }),
  );

  it(
    'refuses without a session, with a bad name, outside a room it cannot see or has not joined; and stores nothing',
    withCast(start, async ({ server, alice, bob, carol }) => {
      const privateRoom = await roomOf(alice, 'private', [bob]);
      const publicRoom = await roomOf(alice, 'public');
      const bytes = randomBytes(1000);
      const refusals: Array<[string | undefined, string, string, number, string]> = [
        [undefined, privateRoom, 'a.bin', 401, 'UNAUTHORIZED'],
        [alice.person.token, privateRoom, '', 400, 'INVALID'],
        [alice.person.token, privateRoom, '../../etc/passwd', 400, 'INVALID'],
        [alice.person.token, privateRoom, 'a\u0000.bin', 400, 'INVALID'],
        [alice.person.token, privateRoom, 'x'.repeat(256), 400, 'INVALID'],
        [alice.person.token, 'r_nosuchroom', 'a.bin', 404, 'NOT_FOUND'],
        [carol.person.token, privateRoom, 'a.bin', 404, 'NOT_FOUND'],
        [carol.person.token, publicRoom, 'a.bin', 403, 'FORBIDDEN'],
      ];
      for (const [token, roomId, name, status, code] of refusals) {
        const res = await upload(server.url, token, roomId, name, bytes, 'application/octet-stream');
        expect([res.status, res.body?.error?.code], `${name} in ${roomId}`).toEqual([status, code]);
      }
      // The session cookie counts only from the app's own origin (a foreign page's POST carries it too).
      const withCookie = (origin: string) =>
        fetch(`${server.url}/api/rooms/${privateRoom}/files?name=a.bin`, {
          method: 'POST',
          headers: { cookie: `parley_session=${alice.person.token}`, origin },
          body: bytes,
        });
      expect((await withCookie('http://evil.example')).status).toBe(401);
      expect((await withCookie(server.url)).status).toBe(201);
      const noName = await fetch(`${server.url}/api/rooms/${privateRoom}/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.person.token}` },
        body: bytes,
      });
      expect(noName.status).toBe(400);
      await expectNothingStored(server, carol.user.id);
      // Only the upload from its own origin was stored.
      expect(await server.storage.files.usedOn(alice.user.id, new Date().toISOString().slice(0, 10))).toBe(bytes.length);
      const unauthenticated = await fetchFile(server.url, undefined, 'f_nosuchfile');
      expect(unauthenticated.status).toBe(401);
      await expectNotFound(server.url, alice.person.token, 'f_nosuchfile');
    }),
  );

  it(
    'answers 413 as soon as a chunked upload passes the cap, and at once for a Content-Length over it; nothing is left',
    withCast(
      start,
      async ({ server, alice }) => {
        const roomId = await roomOf(alice, 'private');
        const headers = { authorization: `Bearer ${alice.person.token}`, 'content-type': 'application/pdf' };
        const pathname = `/api/rooms/${roomId}/files?name=big.pdf`;
        const midStream = await streamUpload(server.url, pathname, headers, { totalBytes: 8 * 1024 * 1024 });
        expect([midStream.status, midStream.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
        // Refused long before the client had sent it all: the server stopped reading.
        expect(midStream.sent).toBeLessThan(8 * 1024 * 1024);
        const declared = await streamUpload(
          server.url,
          pathname,
          { ...headers, 'content-length': String(64 * 1024 + 1) },
          { totalBytes: 0 },
        );
        expect([declared.status, declared.body.error.code, declared.sent]).toEqual([413, 'PAYLOAD_TOO_LARGE', 0]);
        await expectNothingStored(server, alice.user.id);
        expect(filesUnder(path.join(server.dataDir, 'files'))).toEqual([]); // no temporary file either (SQLite's disk)
        // Exactly the cap is fine.
        await uploaded(server, alice, roomId, 'exact.bin', randomBytes(64 * 1024));
      },
      { limits: { uploadBytes: 64 * 1024 } },
    ),
  );

  it(
    'refuses with RATE_LIMITED what passes the daily quota, declared or streamed, and stores none of it',
    withCast(
      start,
      async ({ server, alice }) => {
        const roomId = await roomOf(alice, 'private');
        await uploaded(server, alice, roomId, 'first.bin', randomBytes(60_000));
        const declared = await upload(server.url, alice.person.token, roomId, 'second.bin', randomBytes(60_000));
        expect([declared.status, declared.body.error.code]).toEqual([429, 'RATE_LIMITED']);
        const headers = { authorization: `Bearer ${alice.person.token}` };
        const streamed = await streamUpload(server.url, `/api/rooms/${roomId}/files?name=third.bin`, headers, {
          totalBytes: 60_000,
          chunkSize: 4096,
        });
        expect([streamed.status, streamed.body.error.code]).toEqual([429, 'RATE_LIMITED']);
        const day = new Date().toISOString().slice(0, 10);
        expect(await server.storage.files.usedOn(alice.user.id, day)).toBe(60_000);
        expect(await server.storage.blobs.sweepOrphans(Date.now() + 3_600_000)).toBe(0);
        // What is left of the day still goes.
        await uploaded(server, alice, roomId, 'small.bin', randomBytes(40_000));
      },
      { limits: { uploadBytesPerDay: 100_000 } },
    ),
  );

  const clock = { offsetMs: 0 };
  it(
    'sweeps files never sent within 24 hours, and keeps sent ones',
    withCast(
      start,
      async ({ server, alice, bob }) => {
        const roomId = await roomOf(alice, 'public', [bob]);
        const kept = await uploaded(server, alice, roomId, 'kept.txt', Buffer.from('sent'), 'text/plain');
        const forgotten = await uploaded(server, alice, roomId, 'forgotten.png', await png(20, 20), 'image/png');
        await sendFiles(alice, roomId, [kept.id]);
        clock.offsetMs = 23 * 3_600_000;
        expect((await server.app.sweepFiles()).unsent).toBe(0);
        expect((await fetchFile(server.url, alice.person.token, forgotten.id)).status).toBe(200);

        clock.offsetMs = 25 * 3_600_000;
        // At least this one (on PostgreSQL the earlier cases' unsent uploads share the schema).
        const swept = await server.app.sweepFiles();
        expect(swept.unsent).toBeGreaterThanOrEqual(1);
        expect(swept.orphans).toBe(0);
        await expectNotFound(server.url, alice.person.token, forgotten.id);
        expect(await server.storage.blobs.get(forgotten.id)).toBeNull();
        expect(await server.storage.blobs.get(`${forgotten.id}.thumb`)).toBeNull();
        const got = await fetchFile(server.url, bob.person.token, kept.id);
        expect([got.status, got.bytes.toString()]).toEqual([200, 'sent']);
      },
      { clock: () => new Date(Date.now() + clock.offsetMs) },
    ),
  );
}
