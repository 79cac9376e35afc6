import { searchResultSchema } from '@parley/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, connect, register, stopAll, uniqueName, type Client, type TestServer } from '../support/harness.js';
import { describeEachStorage } from '../support/storages.js';

/**
 * GET /api/search over the real app, on SQLite (FTS5 trigram) and on PostgreSQL (pg_trgm): what it
 * answers, and every refusal. Its rate limit is in test/security/rate-limits.test.ts.
 */
describeEachStorage('GET /api/search', (startServer) => {
  let server: TestServer;
  let alice: Client;
  let bob: Client;
  let carol: Client;
  const ids: Record<string, string> = {};
  let general = '';
  let secret = '';
  let lobby = '';
  let dm = '';

  beforeAll(async () => {
    server = await startServer({ limits: { eventsPerMinute: 1000 } });
    const person = async (name: string) => connect(server.url, await register(server.url, uniqueName(name)));
    [alice, bob, carol] = await Promise.all([person('alice'), person('bob'), person('carol')]);
    general = (await alice.call('room:create', { name: 'general', visibility: 'public' })).room.id;
    await bob.call('room:join', { roomId: general });
    secret = (await carol.call('room:create', { name: 'secret', visibility: 'private' })).room.id;
    lobby = (await carol.call('room:create', { name: 'lobby', visibility: 'public' })).room.id;
    dm = (await bob.call('dm:open', { userId: alice.user.id })).room.id;
    const send = async (who: Client, roomId: string, key: string, text: string) =>
      (ids[key] = (await who.call('message:send', { roomId, clientMsgId: key, text })).message.id);
    await send(alice, general, 'g1', 'Lunch at Tokyo Tower?');
    await send(bob, general, 'g2', 'tokyo tower it is');
    await send(carol, secret, 's1', 'secret tokyo plans');
    await send(carol, lobby, 'l1', 'lobby tokyo chat');
    await send(bob, dm, 'd1', 'see you at TOKYO');
    await send(alice, general, 'g3', 'gone soon, tokyo');
    await alice.call('message:delete', { roomId: general, messageId: ids.g3! });
    await alice.call('message:edit', { roomId: general, messageId: ids.g1!, text: 'Lunch at Kyoto?' });
  });
  afterAll(() => stopAll(server, alice, bob, carol));

  const search = (who: Client, query: string) => api(server.url, who.person.token)(`/api/search?${query}`);
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

  it("answers the caller's matches, newest first, with each room named as they see it", async () => {
    const res = await search(alice, q({ q: 'TOKYO' }));
    expect(res.status).toBe(200);
    const { results } = searchResultSchema.parse(res.body);
    expect(results.map((r) => r.message.id)).toEqual([ids.d1, ids.g2]);
    expect(results[0]!.room).toEqual({ id: dm, name: bob.user.username, kind: 'dm' });
    expect(results[1]).toMatchObject({ room: { id: general, name: 'general', kind: 'public' }, message: { text: 'tokyo tower it is' } });
    const forBob = searchResultSchema.parse((await search(bob, q({ q: 'tokyo' }))).body).results;
    expect(forBob.map((r) => [r.message.id, r.room.name])).toEqual([
      [ids.d1, alice.user.username],
      [ids.g2, 'general'],
    ]);
    // The current text only: the edit replaced "Tokyo Tower" in g1, and g3 is deleted.
    expect((await search(alice, q({ q: 'kyoto' }))).body.results.map((r: { message: { id: string } }) => r.message.id)).toEqual([ids.g1]);
    expect((await search(alice, q({ q: 'gone soon' }))).body.results).toEqual([]);
  });

  it('matches case-insensitively beyond ASCII: Cyrillic and Latin with diacritics, either way round', async () => {
    const { message } = await bob.call('message:send', { roomId: general, clientMsgId: 'cyrillic', text: 'Привет, МИР! Ärger über Öl' });
    const found = async (query: string) =>
      searchResultSchema.parse((await search(alice, q({ q: query }))).body).results.map((r) => r.message.id);
    for (const query of ['привет', 'ПРИВЕТ', 'пРиВеТ', 'мир!', 'ärger', 'ÜBER ÖL']) expect(await found(query), query).toEqual([message.id]);
  });

  it('narrows by roomId, pages by before, and takes a limit', async () => {
    expect(
      (await search(alice, q({ q: 'tokyo', roomId: general }))).body.results.map((r: { message: { id: string } }) => r.message.id),
    ).toEqual([ids.g2]);
    expect((await search(alice, q({ q: 'tokyo', limit: '1' }))).body.results.map((r: { message: { id: string } }) => r.message.id)).toEqual(
      [ids.d1],
    );
    expect(
      (await search(alice, q({ q: 'tokyo', limit: '1', before: ids.d1! }))).body.results.map(
        (r: { message: { id: string } }) => r.message.id,
      ),
    ).toEqual([ids.g2]);
    expect((await search(carol, q({ q: 'tokyo' }))).body.results.map((r: { message: { id: string } }) => r.message.id)).toEqual([
      ids.l1,
      ids.s1,
    ]);
  });

  it('refuses without a session: 401', async () => {
    const res = await api(server.url)(`/api/search?${q({ q: 'tokyo' })}`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  it('refuses a q too short or too long, a bad limit, an unknown parameter: INVALID', async () => {
    const refused: Record<string, string>[] = [
      {},
      { q: 'ab' },
      { q: '🎉🎉' },
      { q: 'x'.repeat(201) },
      { q: 'tokyo', limit: '0' },
      { q: 'tokyo', limit: '51' },
      { q: 'tokyo', limit: 'ten' },
      { q: 'tokyo', roomId: '' },
      { q: 'tokyo', page: '2' },
    ];
    for (const params of refused) {
      const res = await search(alice, q(params));
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.body.error.code).toBe('INVALID');
    }
    expect((await search(alice, q({ q: '🎉🎉🎉' }))).status).toBe(200);
    expect((await search(alice, q({ q: 'y'.repeat(200) }))).status).toBe(200);
  });

  it('answers NOT_FOUND for a roomId the caller is not a member of: private, public, unknown', async () => {
    for (const roomId of [secret, lobby, 'r_missing']) {
      const res = await search(alice, q({ q: 'tokyo', roomId }));
      expect(res.status, roomId).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  });
});
