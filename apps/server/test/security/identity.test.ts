import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithPeople, stopAll, type Client, type TestServer } from '../support/harness.js';

let server: TestServer, alice: Client, bob: Client, carol: Client;
let roomId: string;
beforeAll(async () => {
  ({ server, alice, bob, carol } = await startWithPeople());
  roomId = (await alice.call('room:create', { name: 'whoami', visibility: 'public' })).room.id;
  await bob.call('room:join', { roomId });
});
afterAll(() => stopAll(server, alice, bob, carol));

const raw = (client: Client, event: string, payload: unknown): Promise<any> =>
  (client.socket.timeout(5_000) as any).emitWithAck(event, payload);

describe('identity', () => {
  it('refuses every field that would claim to be someone else, naming it', async () => {
    const claims: Array<[string, Record<string, unknown>, string]> = [
      ['message:send', { roomId, clientMsgId: 'spoof-1', text: 'hi', authorId: bob.user.id }, 'authorId'],
      ['message:send', { roomId, clientMsgId: 'spoof-2', text: 'hi', author: bob.user }, 'author'],
      ['message:send', { roomId, clientMsgId: 'spoof-3', text: 'hi', userId: bob.user.id }, 'userId'],
      ['room:create', { name: 'theirs', visibility: 'public', ownerId: bob.user.id }, 'ownerId'],
      ['room:join', { roomId, userId: carol.user.id }, 'userId'],
      ['room:leave', { roomId, userId: bob.user.id }, 'userId'],
      ['room:read', { roomId, seq: 1, userId: bob.user.id }, 'userId'],
      ['typing:set', { roomId, typing: true, userId: bob.user.id }, 'userId'],
      ['dm:open', { userId: carol.user.id, fromUserId: bob.user.id }, 'fromUserId'],
    ];
    for (const [event, payload, field] of claims) {
      const ack = await raw(alice, event, payload);
      expect(ack, event).toMatchObject({ ok: false, error: { code: 'INVALID', message: expect.stringContaining(field) } });
    }
    // Nothing was sent as anyone, and carol was not put in the room.
    expect((await bob.call('message:history', { roomId })).messages).toEqual([]);
    expect((await carol.request('message:send', { roomId, clientMsgId: 'x', text: 'x' })).ok).toBe(false);
  });

  it('always stores and shows the session user as the author', async () => {
    const delivered = bob.next('message:created');
    const { message } = await alice.call('message:send', { roomId, clientMsgId: 'mine', text: 'from alice' });
    expect(message.author).toEqual(alice.user);
    expect((await delivered).author).toEqual(alice.user);
  });
});
