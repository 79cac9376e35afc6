import path from 'node:path';
import Database from 'better-sqlite3';
import { clientEvents, type ClientEventName } from '@parley/protocol';
import { describe, expect } from 'vitest';
import { api, join, type Client } from '../support/harness.js';
import { fileTest } from '../support/people.js';

const it = fileTest
  /** A public room of alice's that bob has joined, shared by the whole file. */
  .extend('roomId', { scope: 'file' }, async ({ alice, bob }) => {
    const roomId = (await alice.call('room:create', { name: 'target', visibility: 'public' })).room.id;
    await bob.call('room:join', { roomId });
    return roomId;
  })
  /** The process is alive and the room still works: a message round-trips to bob. */
  .extend('stillServing', { scope: 'file' }, ({ alice, bob, roomId }) => async (tag: string) => {
    const { message } = await alice.call('message:send', { roomId, clientMsgId: `alive-${tag}`, text: `alive ${tag}` });
    await bob.waitFor('message:created', (m) => m.id === message.id);
    return message;
  });

const hostile: unknown[] = [
  null,
  undefined,
  'a string',
  42,
  true,
  [],
  ['roomId'],
  {},
  JSON.parse('{"__proto__":{"polluted":true},"roomId":"r_x"}'),
  { roomId: { $gt: '' } },
  { roomId: 'x'.repeat(500) },
];

/** Sends an event with a raw payload and resolves with its ack. */
function rawRequest(client: Client, event: string, ...args: unknown[]): Promise<any> {
  return (client.socket.timeout(10_000) as any).emitWithAck(event, ...args);
}

describe('hostile payloads', () => {
  it.for(Object.keys(clientEvents) as ClientEventName[])('%s answers INVALID and changes nothing', async (event, { alice, roomId }) => {
    const before = (await alice.call('message:history', { roomId })).messages.length;
    for (const payload of hostile) {
      const ack = await rawRequest(alice, event, payload);
      expect(ack, `${event} ${JSON.stringify(payload)}`).toMatchObject({
        ok: false,
        error: { code: expect.stringMatching(/^(INVALID|NOT_FOUND)$/) },
      });
      expect(JSON.stringify(ack)).not.toMatch(/node_modules|\/src\/|\.ts:\d|\s+at \S+ \(|SQLITE|SELECT /);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await alice.call('message:history', { roomId })).messages.length).toBe(before);
  });

  it('answers an event sent with only a callback (no payload) with INVALID', async ({ alice }) => {
    const ack = await rawRequest(alice, 'room:create');
    expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID' } });
  });

  it('rejects fields a client may not set, such as authorId', async ({ alice, bob, roomId }) => {
    const ack = await rawRequest(alice, 'message:send', { roomId, clientMsgId: 'spoof', text: 'hi', authorId: bob.user.id });
    expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID', message: expect.stringContaining('authorId') } });
  });

  it('refuses text over 4000 code points and whitespace-only text', async ({ alice, roomId }) => {
    for (const text of ['😀'.repeat(4001), ' \n\t ', '']) {
      const ack = await rawRequest(alice, 'message:send', { roomId, clientMsgId: `long-${text.length}`, text });
      expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    }
    // 4000 astral code points (8000 UTF-16 units, 16000 bytes of UTF-8) are fine.
    const ok = await rawRequest(alice, 'message:send', { roomId, clientMsgId: 'max', text: '😀'.repeat(4000) });
    expect(ok.ok).toBe(true);
    expect([...ok.data.message.text]).toHaveLength(4000);
  });

  it('survives events without a callback, and still performs them', async ({ alice, bob, roomId, stillServing }) => {
    for (const event of Object.keys(clientEvents)) {
      alice.socket.emit(event as any, null);
      alice.socket.emit(event as any);
    }
    alice.socket.emit('message:send' as any, { roomId, clientMsgId: 'no-ack', text: 'sent without ack' });
    const created = await bob.waitFor('message:created', (m) => m.clientMsgId === 'no-ack');
    expect(created.text).toBe('sent without ack');
    await stillServing('no-callback');
  });

  it('answers an unknown event that asks for an ack with INVALID', async ({ alice }) => {
    expect(await rawRequest(alice, 'no:such-event', { x: 1 })).toEqual({ ok: false, error: { code: 'INVALID', message: 'unknown event' } });
    expect(await rawRequest(alice, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'INVALID' } });
  });

  it('ignores unknown events and extra arguments', async ({ alice, roomId, stillServing }) => {
    alice.socket.emit('no:such-event' as any, { x: 1 });
    const ack = await rawRequest(alice, 'room:join', { roomId }, 'extra', 3);
    expect(ack.ok).toBe(true);
    await stillServing('unknown');
  });

  it('closes a connection that sends more than maxHttpBufferSize, and only that one', async ({ server, alice, roomId, stillServing }) => {
    const mallory = await join(server.url, 'mallory');
    const closed = new Promise<string>((resolve) => mallory.socket.once('disconnect', resolve));
    mallory.socket.emit('message:send' as any, { roomId, clientMsgId: 'huge', text: 'x'.repeat(200_000) }, () => {});
    expect(await closed).toBe('transport close');
    const message = await stillServing('huge');
    expect(message.seq).toBeGreaterThan(0);
    expect((await alice.call('message:history', { roomId })).messages.map((m) => m.clientMsgId)).not.toContain('huge');
  });
});

describe('storage failures', () => {
  it('answers UNAVAILABLE, stores and broadcasts nothing, and burns no seq', async ({ server, alice, bob }) => {
    const { room } = await alice.call('room:create', { name: 'fragile', visibility: 'public' });
    await bob.call('room:join', { roomId: room.id });
    await alice.call('message:send', { roomId: room.id, clientMsgId: 'before', text: 'before the fault' });

    // A real failure inside SQLite's write transaction: a trigger that aborts every insert.
    const db = new Database(path.join(server.dataDir, 'parley.db'));
    db.exec("CREATE TRIGGER fail_inserts BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    const ack = await alice.request('message:send', { roomId: room.id, clientMsgId: 'during', text: 'during the fault' });
    expect(ack).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: expect.any(String) } });
    expect(JSON.stringify(ack)).not.toMatch(/disk I\/O|SQLITE|trigger/i);
    db.exec('DROP TRIGGER fail_inserts');
    db.close();

    const after = await alice.call('message:send', { roomId: room.id, clientMsgId: 'after', text: 'after the fault' });
    expect(after.message.seq).toBe(2);
    await bob.waitFor('message:created', (m) => m.id === after.message.id);
    expect(bob.received('message:created', (m) => m.roomId === room.id).map((m) => m.clientMsgId)).toEqual(['before', 'after']);
    const http = await api(server.url, bob.person.token)(`/api/rooms/${room.id}/messages`);
    expect(http.body.messages.map((m: { clientMsgId: string }) => m.clientMsgId)).toEqual(['before', 'after']);
  });
});
