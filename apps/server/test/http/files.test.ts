import http from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import { startWithPeople, stopAll } from '../support/harness.js';
import { describePostgres, until, useTestSchema } from '../storage/postgres.support.js';
import { roomOf } from '../realtime/conversation.support.js';
import { fileCases } from './files.cases.js';
import { expectNothingStored, filesUnder } from './files.support.js';

describe('files on SQLite (bytes under DATA_DIR/files)', () => {
  fileCases((overrides) => startWithPeople(overrides));

  it('leaves nothing, not even a temporary file, when the client goes away mid-upload', async () => {
    const { server, alice, bob, carol } = await startWithPeople();
    try {
      const roomId = await roomOf(alice, 'private');
      const folder = path.join(server.dataDir, 'files');
      const req = http.request(`${server.url}/api/rooms/${roomId}/files?name=half.bin`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.person.token}` },
      });
      req.on('error', () => undefined);
      // Writes until the upload is on disk (a temporary name), then hangs up.
      const writeUntilStored = async () => {
        while (filesUnder(folder).length === 0) {
          await new Promise<void>((resolve) => req.write(randomBytes(16 * 1024), () => resolve()));
        }
      };
      await writeUntilStored();
      req.destroy();
      await until(async () => filesUnder(folder).length === 0, 'the partial upload to be removed');
      await expectNothingStored(server, alice.user.id);
    } finally {
      await stopAll(server, alice, bob, carol);
    }
  });
});

describePostgres('files on PostgreSQL (chunked bytea)', () => {
  const db = useTestSchema();
  fileCases(async (overrides) => startWithPeople({ ...overrides, storage: await db.open() }));
});
