import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startWithPeople, stopAll, type Client, type TestServer } from '../support/harness.js';

// Finding 7 of the security probe: invisible and direction-changing text in room names and messages.
let server: TestServer, alice: Client, bob: Client;
let roomId: string;
beforeAll(async () => {
  ({ server, alice, bob } = await startWithPeople());
  roomId = (await alice.call('room:create', { name: 'general', visibility: 'public' })).room.id;
  await bob.call('room:join', { roomId });
});
afterAll(() => stopAll(server, alice, bob));

const raw = (client: Client, event: string, payload: unknown): Promise<any> =>
  (client.socket.timeout(5_000) as any).emitWithAck(event, payload);

/** Every room name bob can see, as stored. */
const roomNames = async (): Promise<string[]> =>
  (await api(server.url, bob.person.token)('/api/rooms')).body.rooms.map((r: { name: string }) => r.name);

describe('room names', () => {
  it.each([
    [' \u200b ', 'visible character'],
    ['\u202Eevil', 'direction controls'],
    ['a\u2066b', 'direction controls'],
    ['\u200Fgeneral', 'direction controls'],
  ])('refuses %j with INVALID and stores nothing', async (name, reason) => {
    const before = await roomNames();
    const since = bob.events.length;
    const ack = await raw(alice, 'room:create', { name, visibility: 'public' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID', message: expect.stringContaining(reason) } });
    expect(await roomNames()).toEqual(before);
    // A room created afterwards is the first one bob hears of: the refused one was never announced.
    const { room: marker } = await alice.call('room:create', { name: `after ${since}`, visibility: 'public' });
    await bob.waitFor('room:created', (p) => p.room.id === marker.id, { since });
    expect(
      bob.events
        .slice(since)
        .filter((e) => e.event === 'room:created')
        .map((e) => e.payload.room.id),
    ).toEqual([marker.id]);
  });

  it.each([
    ['general\u200b', 'general'],
    ['gen\u00aderal', 'general'],
    ['Ｇｅｎｅｒａｌ', 'General'],
  ])('stores %j in its one visible form, %j', async (name, stored) => {
    const { room } = await alice.call('room:create', { name, visibility: 'public' });
    expect(room.name).toBe(stored);
    const announced = await bob.waitFor('room:created', (p) => p.room.id === room.id);
    expect(announced.room.name).toBe(stored);
    expect(await roomNames()).toContain(stored);
    expect((await roomNames()).filter((n) => /[\u200b\u00ad\uff00-\uffef]/u.test(n))).toEqual([]);
  });

  it('keeps an emoji joined by ZWJ in a name', async () => {
    const { room } = await alice.call('room:create', { name: '👩‍💻 devs', visibility: 'public' });
    expect(room.name).toBe('👩‍💻 devs');
  });
});

describe('message text', () => {
  it.each(['\u200b', '\u202e', '\u200b \u2060'])('refuses %j (nothing visible) with INVALID and stores nothing', async (text) => {
    const before = (await bob.call('message:history', { roomId })).messages;
    const ack = await raw(alice, 'message:send', { roomId, clientMsgId: `blank-${text.codePointAt(0)}-${text.length}`, text });
    expect(ack).toMatchObject({ ok: false, error: { code: 'INVALID', message: expect.stringContaining('visible character') } });
    expect((await bob.call('message:history', { roomId })).messages).toEqual(before);
    expect(bob.received('message:created', (m) => m.clientMsgId.startsWith('blank-'))).toEqual([]);
  });

  it('stores visible text with invisible characters exactly as sent', async () => {
    for (const [clientMsgId, text] of [
      ['zwj', '👩‍💻'],
      ['zwj-words', 'coding 👩‍💻 now\u200b'],
      ['rtl', 'שלום \u202Eevil'],
    ] as const) {
      const delivered = bob.next('message:created', (m) => m.clientMsgId === clientMsgId);
      const { message } = await alice.call('message:send', { roomId, clientMsgId, text });
      expect(message.text).toBe(text);
      expect((await delivered).text).toBe(text);
      const history = await api(server.url, bob.person.token)(`/api/rooms/${roomId}/messages`);
      expect(history.body.messages.find((m: { id: string }) => m.id === message.id).text).toBe(text);
    }
  });
});
