import { describe, expect, it } from 'vitest';
import { DuplicateKeyError } from '../../src/storage/errors.js';
import { T0, T1, type ContractContext } from './storage.contract.support.js';

const DELETED = { username: 'deleted', displayName: 'Deleted user' };

/**
 * Accounts (issue 16): display names, password changes, ending a user's sessions, and deleted
 * accounts: part of the repository suite (storage.contract.ts).
 */
export function describeAccounts({ storage, user, room, send }: ContractContext): void {
  const users = () => storage().users;
  const sessions = () => storage().sessions;
  const session = (id: string, userId: string) => sessions().create({ id, userId, createdAt: T0, expiresAt: 10_000 });

  describe('accounts', () => {
    it('sets and clears a display name, shown wherever the user is read', async () => {
      const a = await user('amy');
      expect(await users().setDisplayName(a.id, 'Amy Pond')).toEqual({ id: a.id, username: 'amy', displayName: 'Amy Pond' });
      expect(await users().findById(a.id)).toEqual({ id: a.id, username: 'amy', displayName: 'Amy Pond' });
      expect((await users().findByUsername('amy'))?.displayName).toBe('Amy Pond');
      expect((await users().searchByPrefix('am', 5))[0]?.displayName).toBe('Amy Pond');
      await session('s_amy', a.id);
      expect((await sessions().findActive('s_amy', 0))?.user.displayName).toBe('Amy Pond');
      const r = await room('public', a.id);
      await send(r.id, a.id, 'c1', 'hello');
      expect((await storage().messages.history(r.id, { limit: 5 }))[0]?.author.displayName).toBe('Amy Pond');
      expect(await users().setDisplayName(a.id, '')).toEqual({ id: a.id, username: 'amy', displayName: '' });
      expect(await users().setDisplayName('u_missing', 'X')).toBeNull();
    });

    it('replaces a password hash', async () => {
      const a = await user('amy');
      expect(await users().setPasswordHash(a.id, 'new-hash')).toBe(true);
      expect((await users().findByUsername('amy'))?.passwordHash).toBe('new-hash');
      expect(await users().setPasswordHash('u_missing', 'h')).toBe(false);
    });

    it("deletes a user's sessions, all of them or all but one, and nobody else's", async () => {
      const [a, b] = [await user(), await user()];
      for (const id of ['s_a1', 's_a2', 's_a3']) await session(id, a.id);
      await session('s_b1', b.id);
      expect((await sessions().deleteForUser(a.id, 's_a2')).sort()).toEqual(['s_a1', 's_a3']);
      expect(await sessions().findActive('s_a1', 0)).toBeNull();
      expect((await sessions().findActive('s_a2', 0))?.user.id).toBe(a.id);
      expect(await sessions().deleteForUser(a.id)).toEqual(['s_a2']);
      expect(await sessions().deleteForUser(a.id)).toEqual([]);
      expect((await sessions().findActive('s_b1', 0))?.user.id).toBe(b.id);
    });

    it('keeps a deleted account as a row: nothing signs in, its username stays taken, its sessions and invitations end', async () => {
      const [a, b] = [await user('amy'), await user('bob')];
      await users().setDisplayName(a.id, 'Amy Pond');
      await session('s_amy', a.id);
      const priv = await room('private', b.id);
      await storage().rooms.addInvitation({ roomId: priv.id, userId: a.id, invitedBy: b.id, createdAt: T0 });

      expect(await users().markDeleted(a.id, T1)).toBe(true);
      expect(await users().markDeleted(a.id, T1)).toBe(false);
      expect(await users().markDeleted('u_missing', T1)).toBe(false);

      expect(await users().findByUsername('amy')).toBeNull();
      expect(await users().findById(a.id)).toEqual({ id: a.id, ...DELETED });
      expect(await users().findByIds([a.id, b.id])).toEqual(expect.arrayContaining([{ id: a.id, ...DELETED }]));
      expect(await users().searchByPrefix('am', 5)).toEqual([]);
      expect(await users().searchByPrefix('del', 5)).toEqual([]);
      expect(await sessions().findActive('s_amy', 0)).toBeNull();
      expect(await storage().rooms.hasInvitation(priv.id, a.id)).toBe(false);
      expect(await users().setDisplayName(a.id, 'Back again')).toBeNull();
      expect(await users().setPasswordHash(a.id, 'hash')).toBe(false);
      await expect(users().create({ id: 'u_other', username: 'amy', passwordHash: 'h', createdAt: T1 })).rejects.toBeInstanceOf(
        DuplicateKeyError,
      );
    });

    it("shows a deleted author's messages as Deleted user, with their id, in history, changes, search and room previews", async () => {
      const [a, b] = [await user('amy'), await user('bob')];
      const r = await room('public', b.id, [a.id, b.id]);
      await send(r.id, b.id, 'c0', 'first from bob');
      const { message } = await send(r.id, a.id, 'c1', 'searchable words from amy');
      await storage().rooms.removeMember(r.id, a.id);
      await users().markDeleted(a.id, T1);

      const author = { id: a.id, ...DELETED };
      expect((await storage().messages.history(r.id, { limit: 5 })).map((m) => m.author)).toEqual([
        { id: b.id, username: 'bob', displayName: '' },
        author,
      ]);
      expect((await storage().messages.find(r.id, message.id))?.author).toEqual(author);
      expect((await storage().messages.changes(r.id, 0, 5)).messages[1]?.author).toEqual(author);
      const hits = await storage().search.messages({ userId: b.id, text: 'searchable', limit: 5 });
      expect(hits.map((hit) => hit.message.author)).toEqual([author]);
      expect((await storage().rooms.view(r.id, b.id))?.lastMessage?.author).toEqual(author);
      expect((await storage().rooms.listVisible(b.id)).find((v) => v.id === r.id)?.lastMessage?.author).toEqual(author);
    });
  });
}
