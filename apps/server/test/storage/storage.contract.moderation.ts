import { describe, expect, it } from 'vitest';
import { T0, T1, T2, T3, type ContractContext } from './storage.contract.support.js';

/**
 * Roles, names and topics, bans, the member list and ownership passing on (issue 16): part of the
 * repository suite (storage.contract.ts), run on every driver.
 */
export function describeModeration({ storage, user, room, send }: ContractContext): void {
  const rooms = () => storage().rooms;
  const roleOf = async (roomId: string, userId: string) => (await rooms().findMembership(roomId, userId))?.role ?? null;

  describe('moderation', () => {
    it('renames a room and sets its topic, each alone or both; nothing for an unknown room', async () => {
      const a = await user();
      const r = await room('public', a.id);
      expect(await rooms().update(r.id, { topic: 'plans for Q3' })).toEqual({ ...r, topic: 'plans for Q3' });
      expect(await rooms().update(r.id, { name: 'roadmap' })).toEqual({ ...r, name: 'roadmap', topic: 'plans for Q3' });
      expect(await rooms().update(r.id, { name: 'road', topic: '' })).toEqual({ ...r, name: 'road', topic: '' });
      expect(await rooms().findById(r.id)).toEqual({ ...r, name: 'road', topic: '' });
      expect(await rooms().update('r_missing', { name: 'x' })).toBeNull();
    });

    it('makes and unmakes admins, tells whether it changed, and never touches the owner', async () => {
      const [a, b, c] = [await user(), await user(), await user()];
      const r = await room('private', a.id, [a.id, b.id]);
      expect(await rooms().setRole(r.id, b.id, 'admin')).toBe(true);
      expect(await rooms().setRole(r.id, b.id, 'admin')).toBe(false);
      expect(await roleOf(r.id, b.id)).toBe('admin');
      expect((await rooms().view(r.id, b.id))!.role).toBe('admin');
      expect(await rooms().setRole(r.id, b.id, 'member')).toBe(true);
      expect(await roleOf(r.id, b.id)).toBe('member');
      expect(await rooms().setRole(r.id, a.id, 'member')).toBe(false);
      expect(await rooms().setRole(r.id, a.id, 'admin')).toBe(false);
      expect(await roleOf(r.id, a.id)).toBe('owner');
      expect(await rooms().setRole(r.id, c.id, 'admin')).toBe(false);
      expect(await roleOf(r.id, c.id)).toBeNull();
    });

    it('bans a member in one go (membership, count, invitation, followed threads) and keeps them out until unbanned', async () => {
      const [a, b] = [await user(), await user()];
      const r = await room('public', a.id, [a.id, b.id]);
      const root = (await send(r.id, a.id, 'root')).message;
      await send(r.id, b.id, 'reply', 'me too', { threadRootId: root.id }); // b follows the thread
      expect(await rooms().ban({ roomId: r.id, userId: b.id, bannedBy: a.id, createdAt: T1 })).toBe(true);
      expect(await rooms().findMembership(r.id, b.id)).toBeNull();
      expect((await rooms().findById(r.id))!.memberCount).toBe(1);
      expect(await rooms().memberRoomIds(b.id)).toEqual([]);
      expect(await rooms().isBanned(r.id, b.id)).toBe(true);
      expect(await rooms().isBanned(r.id, a.id)).toBe(false);
      expect(await rooms().addMember(r.id, b.id, T2)).toBe('banned');
      expect((await rooms().findById(r.id))!.memberCount).toBe(1);
      // Banning again changes nothing; a ban is lifted once.
      expect(await rooms().ban({ roomId: r.id, userId: b.id, bannedBy: a.id, createdAt: T2 })).toBe(false);
      expect(await rooms().unban(r.id, b.id)).toBe(true);
      expect(await rooms().unban(r.id, b.id)).toBe(false);
      expect(await rooms().isBanned(r.id, b.id)).toBe(false);
      expect(await rooms().addMember(r.id, b.id, T3)).toBe('added');
      // The ban ended their follows: a new reply is not unread for them.
      await send(r.id, a.id, 'reply2', 'and another', { threadRootId: root.id });
      expect((await rooms().view(r.id, b.id))!.threadsUnread).toBe(0);
    });

    it('bans a non-member too, withdrawing their invitation; nothing for an unknown room', async () => {
      const [a, b] = [await user(), await user()];
      const r = await room('private', a.id);
      await rooms().addInvitation({ roomId: r.id, userId: b.id, invitedBy: a.id, createdAt: T0 });
      expect(await rooms().ban({ roomId: r.id, userId: b.id, bannedBy: a.id, createdAt: T1 })).toBe(false);
      expect(await rooms().hasInvitation(r.id, b.id)).toBe(false);
      expect(await rooms().isBanned(r.id, b.id)).toBe(true);
      expect(await rooms().addMember(r.id, b.id, T2)).toBe('banned');
      expect(await rooms().ban({ roomId: 'r_missing', userId: b.id, bannedBy: a.id, createdAt: T1 })).toBe(false);
      expect(await rooms().isBanned('r_missing', b.id)).toBe(false);
    });

    it('pages members by username with their role, after a username, at most limit', async () => {
      const [zed, amy, bob, cal] = [await user('zed'), await user('amy'), await user('bob'), await user('cal')];
      const r = await room('public', zed.id, [zed.id, amy.id, bob.id]);
      await rooms().setRole(r.id, bob.id, 'admin');
      const shown = (u: { id: string; username: string }) => ({ id: u.id, username: u.username, displayName: '' });
      expect(await rooms().members(r.id, { limit: 10 })).toEqual([
        { user: shown(amy), role: 'member' },
        { user: shown(bob), role: 'admin' },
        { user: shown(zed), role: 'owner' },
      ]);
      expect(await rooms().members(r.id, { limit: 2 })).toEqual([
        { user: shown(amy), role: 'member' },
        { user: shown(bob), role: 'admin' },
      ]);
      expect(await rooms().members(r.id, { after: 'bob', limit: 2 })).toEqual([{ user: shown(zed), role: 'owner' }]);
      expect(await rooms().members(r.id, { after: 'b', limit: 1 })).toEqual([{ user: shown(bob), role: 'admin' }]);
      expect(await rooms().members(r.id, { after: 'zed', limit: 2 })).toEqual([]);
      expect(await rooms().members('r_missing', { limit: 2 })).toEqual([]);
      // A DM has no owner (ownerId null, as DmService creates it).
      const dm = await rooms().create({ id: `dm:${amy.id}:${cal.id}`, kind: 'dm', name: '', ownerId: null, createdAt: T0 }, [
        cal.id,
        amy.id,
      ]);
      expect((await rooms().members(dm.id, { limit: 5 })).map((m) => m.role)).toEqual(['member', 'member']);
    });

    it('passes ownership to the longest-standing admin, else member, when the owner goes; none left, no owner', async () => {
      const [a, b, c, d] = [await user(), await user(), await user(), await user()];
      const r = await room('public', a.id);
      await rooms().addMember(r.id, b.id, T1);
      await rooms().addMember(r.id, c.id, T2);
      await rooms().addMember(r.id, d.id, T3);
      await rooms().setRole(r.id, d.id, 'admin');
      await rooms().setRole(r.id, c.id, 'admin');
      expect(await rooms().removeMember(r.id, a.id)).toEqual({ removed: true, newOwnerId: c.id });
      expect(await roleOf(r.id, c.id)).toBe('owner');
      expect(await rooms().findById(r.id)).toMatchObject({ ownerId: c.id, memberCount: 3 });
      // A member leaving passes nothing; the owner again: the remaining admin.
      expect(await rooms().removeMember(r.id, b.id)).toEqual({ removed: true, newOwnerId: null });
      await rooms().addMember(r.id, b.id, T3);
      expect(await rooms().removeMember(r.id, c.id)).toEqual({ removed: true, newOwnerId: d.id });
      // No admin left: the longest-standing member.
      expect(await rooms().removeMember(r.id, d.id)).toEqual({ removed: true, newOwnerId: b.id });
      expect(await rooms().findById(r.id)).toMatchObject({ ownerId: b.id, memberCount: 1 });
      expect(await rooms().removeMember(r.id, b.id)).toEqual({ removed: true, newOwnerId: null });
      expect(await rooms().findById(r.id)).toMatchObject({ ownerId: null, memberCount: 0 });
    });

    it('pages a room of 10,000 members in username order, each once', { timeout: 120_000 }, async () => {
      const ids: string[] = [];
      for (let start = 0; start < 10_000; start += 50) {
        const batch = Array.from({ length: 50 }, (_, i) => `m${String(start + i).padStart(5, '0')}`);
        ids.push(...(await Promise.all(batch.map((name) => user(name)))).map((u) => u.id));
      }
      const r = await room('public', ids[0]!, ids);
      expect(r.memberCount).toBe(10_000);
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await rooms().members(r.id, { after, limit: 200 });
        if (page.length === 0) break;
        seen.push(...page.map((m) => m.user.username));
        after = page.at(-1)!.user.username;
      }
      expect(seen).toHaveLength(10_000);
      expect(seen).toEqual([...seen].sort());
      expect(new Set(seen).size).toBe(10_000);
    });
  });
}
