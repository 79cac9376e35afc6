import { LIMITS } from '@parley/protocol';
import { describe, expect } from 'vitest';
import { join, type Client } from '../support/harness.js';
import { fileTest as it } from '../support/people.js';
import { dmOf, refused, roomOf, summaryOf } from './conversation.support.js';

/** Roles, names and topics, and the member list (CONTRACT.md v2, issue 16); removal and bans are in bans.test.ts. */

/** `owner`'s room with `members` in it, `admin` made admin (the room heard it). */
async function roomWithAdmin(owner: Client, visibility: 'public' | 'private', admin: Client, members: Client[] = []): Promise<string> {
  const roomId = await roomOf(owner, visibility, [admin, ...members]);
  const heard = owner.next('room:member-role', (e) => e.roomId === roomId && e.userId === admin.user.id);
  await owner.call('room:set-role', { roomId, userId: admin.user.id, role: 'admin' });
  await heard;
  return roomId;
}

describe('room:update', () => {
  it('renames a room and sets its topic for owners and admins; the room hears room:updated', async ({ server, alice, bob, carol }) => {
    const roomId = await roomWithAdmin(alice, 'private', bob);
    const renamed = (e: { room: { name: string } }) => e.room.name === 'Launch';
    const heard = [alice.next('room:updated', renamed), bob.next('room:updated', renamed)];
    const { room } = await alice.call('room:update', { roomId, name: '  Launch  ', topic: 'ship  it on Friday' });
    expect(room).toMatchObject({ id: roomId, name: 'Launch', topic: 'ship it on Friday', kind: 'private' });
    for (const event of await Promise.all(heard)) expect(event).toEqual({ room });
    // An admin too; only the topic, the name stays.
    const { room: byAdmin } = await bob.call('room:update', { roomId, topic: '' });
    expect(byAdmin).toMatchObject({ name: 'Launch', topic: '' });
    expect(await summaryOf(server, alice, roomId)).toMatchObject({ name: 'Launch', topic: '' });
    // A private room's outsiders hear nothing of it.
    expect(carol.received('room:updated', (e) => e.room.id === roomId)).toEqual([]);
  });

  it("tells everyone of a public room's new name, as room:created does", async ({ alice, carol }) => {
    const roomId = await roomOf(alice, 'public');
    const heard = carol.next('room:updated', (e) => e.room.id === roomId);
    const { room } = await alice.call('room:update', { roomId, name: 'town square' });
    expect(await heard).toEqual({ room });
  });

  it('refuses members, outsiders and DMs, and bad names and topics, changing nothing', async ({ server, alice, bob, carol }) => {
    const pub = await roomOf(alice, 'public', [bob]);
    const priv = await roomOf(alice, 'private', [bob]);
    const dm = await dmOf(alice, bob);
    const update = (client: Client, roomId: string, change: object) => client.request('room:update', { roomId, ...change } as never);
    expect(await update(bob, pub, { name: 'mine now' })).toEqual(refused('FORBIDDEN'));
    expect(await update(carol, pub, { name: 'mine now' })).toEqual(refused('FORBIDDEN'));
    expect(await update(carol, priv, { name: 'mine now' })).toEqual(refused('NOT_FOUND'));
    expect(await update(alice, dm, { name: 'our dm' })).toEqual(refused('FORBIDDEN'));
    expect(await update(alice, 'r_nothere', { name: 'x' })).toEqual(refused('NOT_FOUND'));
    for (const change of [
      {},
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(LIMITS.roomNameMax + 1) },
      { topic: 't'.repeat(LIMITS.topicMax + 1) },
      { topic: 'a\u202Eb' },
      { name: 7 },
    ]) {
      expect(await update(alice, pub, change), JSON.stringify(change)).toEqual(refused('INVALID'));
    }
    expect(await summaryOf(server, alice, pub)).toMatchObject({ name: 'public room', topic: '' });
    expect(await summaryOf(server, alice, priv)).toMatchObject({ name: 'private room', topic: '' });
    expect(bob.received('room:updated', (e) => [pub, priv, dm].includes(e.room.id))).toEqual([]);
  });
});

describe('room:set-role', () => {
  it('lets the owner make and unmake admins; the room hears room:member-role and room:updated', async ({ server, alice, bob, carol }) => {
    const roomId = await roomOf(alice, 'public', [bob, carol]);
    const heard = [carol.next('room:member-role'), carol.next('room:updated', (e) => e.room.id === roomId)];
    expect(await alice.call('room:set-role', { roomId, userId: bob.user.id, role: 'admin' })).toEqual({});
    expect(await heard[0]).toEqual({ roomId, userId: bob.user.id, role: 'admin' });
    await heard[1];
    expect((await summaryOf(server, bob, roomId)).role).toBe('admin');
    expect((await alice.call('room:members', { roomId })).members.find((m) => m.user.id === bob.user.id)?.role).toBe('admin');

    // The same role again changes nothing and announces nothing.
    const before = carol.received('room:member-role').length;
    await alice.call('room:set-role', { roomId, userId: bob.user.id, role: 'admin' });
    const back = carol.next('room:member-role');
    await alice.call('room:set-role', { roomId, userId: bob.user.id, role: 'member' });
    expect(await back).toEqual({ roomId, userId: bob.user.id, role: 'member' });
    expect(carol.received('room:member-role')).toHaveLength(before + 1);
    expect((await summaryOf(server, bob, roomId)).role).toBe('member');
  });

  it('is for the owner only: a member and an admin cannot promote; never the owner; members only', async ({
    server,
    alice,
    bob,
    carol,
  }) => {
    const roomId = await roomWithAdmin(alice, 'private', bob, [carol]);
    const setRole = (client: Client, userId: string, role: 'admin' | 'member', room = roomId) =>
      client.request('room:set-role', { roomId: room, userId, role });
    expect(await setRole(carol, carol.user.id, 'admin')).toEqual(refused('FORBIDDEN'));
    expect(await setRole(bob, carol.user.id, 'admin')).toEqual(refused('FORBIDDEN'));
    expect(await setRole(bob, bob.user.id, 'member')).toEqual(refused('FORBIDDEN'));
    expect(await setRole(alice, alice.user.id, 'admin')).toEqual(refused('INVALID'));
    const dave = await join(server.url, 'dave');
    expect(await setRole(alice, dave.user.id, 'admin')).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'user not found' } });
    expect(await setRole(alice, 'u_nobody', 'admin')).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'user not found' } });
    expect(await setRole(dave, carol.user.id, 'admin')).toEqual(refused('NOT_FOUND'));
    expect(await setRole(alice, bob.user.id, 'owner' as never)).toEqual(refused('INVALID'));
    expect(await setRole(alice, bob.user.id, 'admin', await dmOf(alice, bob))).toEqual(refused('FORBIDDEN'));
    const roles = (await alice.call('room:members', { roomId })).members.map((m) => [m.user.id, m.role] as const);
    expect(new Map(roles)).toEqual(
      new Map([
        [alice.user.id, 'owner'],
        [bob.user.id, 'admin'],
        [carol.user.id, 'member'],
      ]),
    );
    dave.close();
  });

  it('passes ownership to the longest-standing admin when the owner leaves, and tells the room', async ({ server, alice, bob, carol }) => {
    const roomId = await roomWithAdmin(alice, 'public', carol, [bob]);
    const heard = bob.next('room:member-role', (e) => e.roomId === roomId && e.role === 'owner');
    await alice.call('room:leave', { roomId });
    expect(await heard).toEqual({ roomId, userId: carol.user.id, role: 'owner' });
    expect((await summaryOf(server, carol, roomId)).role).toBe('owner');
    // The new owner runs the room.
    expect(await carol.call('room:set-role', { roomId, userId: bob.user.id, role: 'admin' })).toEqual({});
  });
});

describe('room:members', () => {
  it('pages members by username with role and presence', async ({ server, alice, bob, carol }) => {
    const away = await join(server.url, 'away');
    const roomId = await roomWithAdmin(alice, 'public', bob, [carol, away]);
    away.close();
    await alice.waitFor('presence:changed', (e) => e.userId === away.user.id && !e.online);
    const all = (await alice.call('room:members', { roomId })).members;
    const people = [alice, bob, carol, away].sort((x, y) => (x.user.username < y.user.username ? -1 : 1));
    const roleOf = new Map([
      [alice.user.id, 'owner'],
      [bob.user.id, 'admin'],
    ]);
    expect(all).toEqual(people.map((p) => ({ user: p.user, role: roleOf.get(p.user.id) ?? 'member', online: p !== away })));
    const first = (await carol.call('room:members', { roomId, limit: 2 })).members;
    const rest = (await carol.call('room:members', { roomId, after: first[1]!.user.username, limit: 200 })).members;
    expect([...first, ...rest]).toEqual(all);
  });

  it('is for anyone signed in in a public room, for members elsewhere; limit 1 to 200', async ({ server, alice, bob, carol }) => {
    const pub = await roomOf(alice, 'public');
    const priv = await roomOf(alice, 'private', [bob]);
    const dm = await dmOf(alice, bob);
    expect((await carol.call('room:members', { roomId: pub })).members.map((m) => m.user.id)).toEqual([alice.user.id]);
    expect(await carol.request('room:members', { roomId: priv })).toEqual(refused('NOT_FOUND'));
    expect(await carol.request('room:members', { roomId: dm })).toEqual(refused('NOT_FOUND'));
    expect(await carol.request('room:members', { roomId: 'r_nothere' })).toEqual(refused('NOT_FOUND'));
    expect((await bob.call('room:members', { roomId: dm })).members.map((m) => m.role)).toEqual(['member', 'member']);
    for (const limit of [0, LIMITS.membersLimitMax + 1, 1.5]) {
      expect(await alice.request('room:members', { roomId: pub, limit })).toEqual(refused('INVALID'));
    }
    expect((await alice.call('room:members', { roomId: priv, limit: 1 })).members).toHaveLength(1);
    expect(server).toBeDefined();
  });
});
