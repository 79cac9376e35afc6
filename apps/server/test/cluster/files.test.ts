import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { useTwoNodes } from '../support/cluster.js';
import { connect } from '../support/harness.js';
import { expectNotFound, fetchFile, png, upload } from '../http/files.support.js';

/**
 * Files (issue 17) across two real nodes on PostgreSQL and Redis: the bytes live in PostgreSQL,
 * so a file uploaded to one node is served, whole and the same, by the other.
 */
const { nodes, person, track } = useTwoNodes('files');

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('files across two nodes', () => {
  it('a 10 MiB file and an image uploaded on one node are served by the other; deleting on that one ends them on both', async ({
    skip,
  }) => {
    if (nodes.length < 2) return skip('PostgreSQL or Redis is not reachable');
    const [a, b] = [nodes[0]!, nodes[1]!];
    const alice = await person('alice', a);
    const bob = await person('bob', b);
    const { room } = await alice.call('room:create', { name: 'files', visibility: 'private' });
    await alice.call('room:invite', { roomId: room.id, userId: bob.user.id });
    await bob.call('room:join', { roomId: room.id });

    const bytes = randomBytes(10 * 1024 * 1024);
    const big = await upload(a.url, alice.person.token, room.id, 'big.pdf', bytes, 'application/pdf');
    expect(big.status).toBe(201);
    const image = await upload(a.url, alice.person.token, room.id, 'chart.png', await png(800, 600), 'image/png');
    expect(image.body.file).toMatchObject({ type: 'image/png', width: 800, height: 600 });
    const fileIds = [big.body.file.id as string, image.body.file.id as string];
    const created = bob.next('message:created', (m) => m.clientMsgId === 'with-files');
    const { message } = await alice.call('message:send', { roomId: room.id, clientMsgId: 'with-files', text: 'numbers', fileIds });
    expect((await created).files.map((f) => f.id)).toEqual(fileIds);

    const fetched = await fetchFile(b.url, bob.person.token, fileIds[0]!);
    expect([fetched.status, fetched.bytes.length]).toEqual([200, bytes.length]);
    expect(sha256(fetched.bytes)).toBe(sha256(bytes));
    const thumbnail = await fetchFile(b.url, bob.person.token, fileIds[1]!, true);
    expect(thumbnail.status).toBe(200);
    expect(await sharp(thumbnail.bytes).metadata()).toMatchObject({ format: 'webp', width: 400, height: 300 });

    // alice deletes it through node B; node A no longer serves it, to anyone.
    const aliceOnB = track(await connect(b.url, alice.person));
    await aliceOnB.call('message:delete', { roomId: room.id, messageId: message.id });
    for (const fileId of fileIds) {
      await expectNotFound(a.url, alice.person.token, fileId);
      await expectNotFound(a.url, bob.person.token, fileId);
    }
  }, 60_000);
});
