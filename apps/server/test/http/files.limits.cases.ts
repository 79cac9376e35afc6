/**
 * The file routes' limits (issue 17), run by files.test.ts on SQLite and on PostgreSQL: who may not
 * upload, the size cap mid-stream and declared, the daily quota, and the sweep of unsent files.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { expect, it } from 'vitest';
import { roomOf } from '../realtime/conversation.support.js';
import { withPeople, type StartPeople } from '../support/people.js';
import {
  expectNothingStored,
  expectNotFound,
  fetchFile,
  filesUnder,
  png,
  sendFiles,
  streamUpload,
  upload,
  uploaded,
} from './files.support.js';

export function fileLimitCases(start: StartPeople): void {
  it(
    'refuses without a session, with a bad name, outside a room it cannot see or has not joined; and stores nothing',
    withPeople(start, async ({ server, alice, bob, carol }) => {
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
    withPeople(
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
    withPeople(
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
    withPeople(
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
