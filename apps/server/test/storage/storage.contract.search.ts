import { describe, expect, it } from 'vitest';
import type { SearchQuery } from '../../src/storage/storage.js';
import type { ContractContext } from './storage.contract.support.js';

/** One minute after T0 per step: texts are sent in time order, as the server sends them. */
const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();

/** Message search over current texts (GET /api/search): part of the repository suite (storage.contract.ts). */
export function describeSearch({ storage, user, room, send, scene }: ContractContext): void {
  let clock = 0;
  /** Sends each text in turn, one minute apart; returns their ids in that order. */
  const sendAll = async (roomId: string, authorId: string, texts: readonly string[]) => {
    const ids: string[] = [];
    for (const text of texts) ids.push((await send(roomId, authorId, `c${++clock}`, text, { createdAt: at(clock) })).message.id);
    return ids;
  };
  const search = async (userId: string, text: string, more: Partial<SearchQuery> = {}) =>
    (await storage().search.messages({ userId, text, limit: 50, ...more })).map((hit) => hit.message.text);

  describe('search', () => {
    it('finds a case-insensitive substring, inside words too, newest first, with the message and its room', async () => {
      const { a, r } = await scene();
      const [hello] = await sendAll(r.id, a.id, ['Hello World', 'say hello again', 'nothing here', 'HELLO!']);
      expect(await search(a.id, 'hello')).toEqual(['HELLO!', 'say hello again', 'Hello World']);
      expect(await search(a.id, 'LO WOR')).toEqual(['Hello World']);
      expect(await search(a.id, 'ell')).toEqual(['HELLO!', 'say hello again', 'Hello World']);
      expect(await search(a.id, 'hellos')).toEqual([]);
      const [hit] = await storage().search.messages({ userId: a.id, text: 'o wo', limit: 5 });
      expect(hit).toEqual({ message: await storage().messages.find(r.id, hello!), room: { id: r.id, name: r.name, kind: 'public' } });
    });

    it('finds text in any script: Cyrillic in either case, Japanese, emoji', async () => {
      const { a, r } = await scene();
      await sendAll(r.id, a.id, ['Привет, Мир!', 'ПОКА', '東京タワーに行きます', '京都', 'party 🎉🎉🎉 time', '🎉 once']);
      expect(await search(a.id, 'РИВЕТ')).toEqual(['Привет, Мир!']);
      expect(await search(a.id, 'мир')).toEqual(['Привет, Мир!']);
      expect(await search(a.id, 'пока')).toEqual(['ПОКА']);
      expect(await search(a.id, '京タワ')).toEqual(['東京タワーに行きます']);
      expect(await search(a.id, '🎉🎉🎉')).toEqual(['party 🎉🎉🎉 time']);
      expect(await search(a.id, 'y 🎉')).toEqual(['party 🎉🎉🎉 time']);
    });

    it('searches wildcards, quotes and operators literally', async () => {
      const { a, r } = await scene();
      const texts = ['100% sure', '1000 sure', 'a_b_c', 'axbxc', 'say "NEAR" now', 'NEAR(x y)', 'x*y', 'xyz', 'back\\slash', 'a OR b'];
      await sendAll(r.id, a.id, texts);
      expect(await search(a.id, '0% ')).toEqual(['100% sure']);
      expect(await search(a.id, '%%%')).toEqual([]);
      expect(await search(a.id, '_b_')).toEqual(['a_b_c']);
      expect(await search(a.id, '___')).toEqual([]);
      expect(await search(a.id, '"NEAR"')).toEqual(['say "NEAR" now']);
      expect(await search(a.id, 'NEAR')).toEqual(['NEAR(x y)', 'say "NEAR" now']);
      expect(await search(a.id, 'NEAR(x')).toEqual(['NEAR(x y)']);
      expect(await search(a.id, 'x*y')).toEqual(['x*y']);
      expect(await search(a.id, 'x*z')).toEqual([]);
      expect(await search(a.id, 'k\\s')).toEqual(['back\\slash']);
      expect(await search(a.id, 'a" OR "b')).toEqual([]);
      expect(await search(a.id, 'a OR b')).toEqual(['a OR b']);
      expect(await search(a.id, '^ab')).toEqual([]);
    });

    it('finds the current text only: never a deleted message, never a text an edit replaced', async () => {
      const { a, r } = await scene();
      const [edited, deleted] = await sendAll(r.id, a.id, ['first draft', 'regret this', 'keep this']);
      await storage().messages.edit({ roomId: r.id, messageId: edited!, text: 'final words', editedAt: at(++clock) });
      await storage().messages.delete({ roomId: r.id, messageId: deleted! });
      expect(await search(a.id, 'draft')).toEqual([]);
      expect(await search(a.id, 'final')).toEqual(['final words']);
      expect(await search(a.id, 'regret')).toEqual([]);
      expect(await search(a.id, 'this')).toEqual(['keep this']);
      // Edited back: found by its text again, and only once.
      await storage().messages.edit({ roomId: r.id, messageId: edited!, text: 'first draft', editedAt: at(++clock) });
      expect(await search(a.id, 'draft')).toEqual(['first draft']);
      expect(await search(a.id, 'final')).toEqual([]);
    });

    it("finds messages only in the user's rooms; roomId narrows to one of them", async () => {
      const { a, b, r, other } = await scene();
      const c = await user();
      const secret = await room('private', c.id);
      const dm = await room('dm', a.id, [a.id, c.id], `dm:${a.id}:${c.id}`);
      await sendAll(r.id, a.id, ['shared needle']);
      await sendAll(other.id, a.id, ['public needle, b is not in']);
      await sendAll(secret.id, c.id, ['private needle']);
      await sendAll(dm.id, c.id, ['direct needle']);
      expect(await search(a.id, 'needle')).toEqual(['direct needle', 'public needle, b is not in', 'shared needle']);
      expect(await search(b.id, 'needle')).toEqual(['shared needle']);
      expect(await search(c.id, 'needle')).toEqual(['direct needle', 'private needle']);
      expect(await search(a.id, 'needle', { roomId: other.id })).toEqual(['public needle, b is not in']);
      expect(await search(b.id, 'needle', { roomId: other.id })).toEqual([]);
      expect(await search(b.id, 'needle', { roomId: secret.id })).toEqual([]);
      const [direct] = await storage().search.messages({ userId: c.id, text: 'needle', limit: 1 });
      expect(direct?.room).toEqual({ id: dm.id, name: dm.name, kind: 'dm' });
      // Leaving a room leaves its messages out of what the user finds.
      await storage().rooms.removeMember(r.id, b.id);
      expect(await search(b.id, 'needle')).toEqual([]);
    });

    it('pages newest first by before, at most limit; a before that names no message gives nothing', async () => {
      const { a, b, r, other } = await scene();
      const ids = await sendAll(r.id, a.id, ['match 1', 'match 2', 'skip', 'match 3']);
      ids.push(...(await sendAll(other.id, a.id, ['match 4'])));
      ids.push(...(await sendAll(r.id, b.id, ['match 5'])));
      const page = (more: Partial<SearchQuery>) => search(a.id, 'match', more);
      expect(await page({ limit: 2 })).toEqual(['match 5', 'match 4']);
      expect(await page({ limit: 2, before: ids[4] })).toEqual(['match 3', 'match 2']);
      expect(await page({ limit: 2, before: ids[1] })).toEqual(['match 1']);
      expect(await page({ limit: 2, before: ids[0] })).toEqual([]);
      expect(await page({ limit: 10, before: ids[2] })).toEqual(['match 2', 'match 1']);
      expect(await page({ limit: 10, before: ids[5], roomId: r.id })).toEqual(['match 3', 'match 2', 'match 1']);
      expect(await page({ limit: 1 })).toEqual(['match 5']);
      expect(await page({ before: 'm_missing' })).toEqual([]);
    });
  });
}
