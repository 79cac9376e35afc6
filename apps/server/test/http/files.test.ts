import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import { startWithPeople, stopAll, type TestServer } from '../support/harness.js';
import type { People } from '../support/people.js';
import { describePostgres, until, useTestSchema } from '../storage/postgres.support.js';
import { roomOf } from '../realtime/conversation.support.js';
import { fileCases } from './files.cases.js';
import { fileLimitCases } from './files.limits.cases.js';
import { expectNothingStored, filesUnder } from './files.support.js';

/**
 * Starts an upload, writes until storage holds part of it (`partsStored` above 0), hangs up, and
 * expects storage to drop every part and keep nothing.
 */
async function abortMidUpload({ server, alice }: People, partsStored: () => Promise<number>): Promise<void> {
  const roomId = await roomOf(alice, 'private');
  const req = http.request(`${server.url}/api/rooms/${roomId}/files?name=half.bin`, {
    method: 'POST',
    headers: { authorization: `Bearer ${alice.person.token}` },
  });
  req.on('error', () => undefined);
  while ((await partsStored()) === 0) {
    await new Promise<void>((resolve) => req.write(randomBytes(64 * 1024), () => resolve()));
  }
  req.destroy();
  await until(async () => (await partsStored()) === 0, 'the partial upload to be removed');
  await expectNothingStored(server, alice.user.id);
}

async function stoppedAfter(cast: People, test: (cast: People) => Promise<void>): Promise<void> {
  try {
    await test(cast);
  } finally {
    await stopAll(cast.server, cast.alice, cast.bob, cast.carol);
  }
}

describe('files on SQLite (bytes under DATA_DIR/files)', () => {
  fileCases((overrides) => startWithPeople(overrides));
  fileLimitCases((overrides) => startWithPeople(overrides));

  it('leaves nothing, not even a temporary file, when the client goes away mid-upload', async () => {
    const temporaryFiles = (server: TestServer) => async () => filesUnder(path.join(server.dataDir, 'files')).length;
    await stoppedAfter(await startWithPeople(), (cast) => abortMidUpload(cast, temporaryFiles(cast.server)));
  });
});

describePostgres('files on PostgreSQL (chunked bytea)', () => {
  const db = useTestSchema();
  const start = async (overrides = {}) => startWithPeople({ ...overrides, storage: await db.open() });
  fileCases(start);
  fileLimitCases(start);

  it('leaves no chunk behind when the client goes away mid-upload', async () => {
    // Every earlier upload here was published or swept: any chunk without a file_blobs row is this one's.
    const unpublishedChunks = async () =>
      Number(
        (
          await db.admin.query<{ count: string }>(
            'SELECT count(*) FROM file_chunks c WHERE NOT EXISTS (SELECT 1 FROM file_blobs b WHERE b.upload_key = c.key)',
          )
        ).rows[0]!.count,
      );
    await stoppedAfter(await startWithPeople({ storage: await db.open() }), (cast) => abortMidUpload(cast, unpublishedChunks));
  });
});
