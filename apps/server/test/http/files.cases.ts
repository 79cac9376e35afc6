/**
 * The file routes (issue 17) through the real app, as cases that files.test.ts runs on SQLite and on
 * PostgreSQL: upload, send, who may fetch, deletion, type lies, images and their thumbnails.
 * The refusals, the cap, the quota and the sweep are in files.limits.cases.ts.
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import sharp from 'sharp';
import { roomOf } from '../realtime/conversation.support.js';
import { withPeople, type StartPeople } from '../support/people.js';
import { expectNotFound, fetchFile, png, pngBomb, sendFiles, sidewaysJpeg, uploaded } from './files.support.js';

export function fileCases(start: StartPeople): void {
  it(
    'stores an upload, serves it to its uploader only until it is sent, then to the members of its room; deleting the message deletes it',
    withPeople(start, async ({ server, alice, bob, carol }) => {
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
      const head = await fetch(`${server.url}/api/files/${file.id}`, {
        method: 'HEAD',
        headers: { authorization: `Bearer ${bob.person.token}` },
      });
      expect([head.status, head.headers.get('content-length'), (await head.arrayBuffer()).byteLength]).toEqual([
        200,
        String(bytes.length),
        0,
      ]);
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
    withPeople(start, async ({ server, alice, bob }) => {
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
    withPeople(start, async ({ server, alice, bob }) => {
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
}
