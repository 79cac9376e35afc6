import { describe, expect } from 'vitest';
import { connect, connected, dropTransport, eventNames, join, type Client } from '../support/harness.js';
import { fileTest as it } from '../support/people.js';
import { dmOf, refused, roomOf, summaryOf } from './conversation.support.js';

/** room:remove-member (with ban) and room:unban: who may act on whom, and what a ban keeps out (CONTRACT.md v2, issue 16). */

/** `owner`'s room with `members` in it and `admins` (of them) made admin. */
async function moderatedRoom(owner: Client, visibility: 'public' | 'private', members: Client[], admins: Client[] = []): Promise<string> {
  const roomId = await roomOf(owner, visibility, members);
  for (const admin of admins) {
    const heard = owner.next('room:member-role', (e) => e.roomId === roomId && e.userId === admin.user.id);
    await owner.call('room:set-role', { roomId, userId: admin.user.id, role: 'admin' });
    await heard;
  }
  return roomId;
}

const remove = (by: Client, roomId: string, userId: string, ban?: boolean) =>
  by.request('room:remove-member', { roomId, userId, ...(ban === undefined ? {} : { ban }) });

describe('bans', () => {
  it('an admin bans a member: every socket of theirs loses the room at once, and they cannot join again', async ({
    server,
    alice,
    bob,
    carol,
  }) => {
    const roomId = await moderatedRoom(alice, 'public', [bob, carol], [bob]);
    const carolElsewhere = await connect(server.url, carol.person);
    const left = [carol.next('room:left'), carolElsewhere.next('room:left')];
    const memberLeft = alice.next('room:member-left', (e) => e.roomId === roomId);
    expect(await remove(bob, roomId, carol.user.id, true)).toEqual({ ok: true, data: {} });
    for (const event of await Promise.all(left)) expect(event).toEqual({ roomId });
    expect(await memberLeft).toEqual({ roomId, userId: carol.user.id });
    expect((await summaryOf(server, alice, roomId)).memberCount).toBe(2);

    const banned = { ok: false, error: { code: 'FORBIDDEN', message: 'you are banned from this room' } };
    expect(await carol.request('room:join', { roomId })).toEqual(banned);
    expect(await carol.request('message:send', { roomId, clientMsgId: 'banned', text: 'let me in' })).toEqual(refused('FORBIDDEN'));
    expect((await summaryOf(server, carol, roomId)).joined).toBe(false);

    // Lifting the ban lets them back; lifting it again is no error.
    expect(await alice.request('room:unban', { roomId, userId: carol.user.id })).toEqual({ ok: true, data: {} });
    expect(await bob.request('room:unban', { roomId, userId: carol.user.id })).toEqual({ ok: true, data: {} });
    expect((await carol.call('room:join', { roomId })).room.memberCount).toBe(3);
    carolElsewhere.close();
  });

  it('refuses a banned user FORBIDDEN before a private room would be NOT_FOUND, and bans non-members too', async ({
    server,
    alice,
    bob,
    carol,
  }) => {
    const roomId = await moderatedRoom(alice, 'private', [bob]);
    // carol is not even invited: banned all the same (as Element allows).
    expect(await remove(alice, roomId, carol.user.id, true)).toEqual({ ok: true, data: {} });
    expect(await carol.request('room:join', { roomId })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'you are banned from this room' },
    });
    expect(await bob.request('room:invite', { roomId, userId: carol.user.id })).toEqual(refused('FORBIDDEN'));
    // A ban drops the invitation: unbanned, carol still needs a new one.
    await alice.call('room:unban', { roomId, userId: carol.user.id });
    expect(await carol.request('room:join', { roomId })).toEqual(refused('NOT_FOUND'));
    await bob.call('room:invite', { roomId, userId: carol.user.id });
    await alice.call('room:remove-member', { roomId, userId: carol.user.id, ban: true });
    await alice.call('room:unban', { roomId, userId: carol.user.id });
    expect(await carol.request('room:join', { roomId })).toEqual(refused('NOT_FOUND'));
    expect(server).toBeDefined();
  });

  it('keeps the room from a banned socket that comes back through connection state recovery', async ({ server, alice, bob, carol }) => {
    const roomId = await moderatedRoom(alice, 'public', [bob, carol]);
    const heard = carol.next('message:created', (m) => m.roomId === roomId);
    await alice.call('message:send', { roomId, clientMsgId: 'hello', text: 'hello carol' });
    await heard; // carol has an offset to resume from

    const packets = await dropTransport(server, carol);
    await alice.call('room:remove-member', { roomId, userId: carol.user.id, ban: true });
    await alice.call('message:send', { roomId, clientMsgId: 'secret', text: 'after the ban' });
    carol.socket.connect();
    await connected(carol.socket);
    expect(carol.socket.recovered).toBe(false);
    expect(eventNames(packets)).not.toContain('message:created');
    expect(await carol.request('room:join', { roomId })).toEqual(refused('FORBIDDEN'));
  });
});

describe('the power rule', () => {
  it('nobody removes the owner; an admin removes members only; the owner removes admins', async ({ server, alice, bob, carol }) => {
    const dave = await join(server.url, 'dave');
    const roomId = await moderatedRoom(alice, 'public', [bob, carol, dave], [bob, carol]);
    expect(await remove(bob, roomId, alice.user.id)).toEqual(refused('FORBIDDEN'));
    expect(await remove(bob, roomId, alice.user.id, true)).toEqual(refused('FORBIDDEN'));
    expect(await remove(bob, roomId, carol.user.id)).toEqual(refused('FORBIDDEN'));
    expect(await remove(bob, roomId, carol.user.id, true)).toEqual(refused('FORBIDDEN'));
    expect(await remove(dave, roomId, bob.user.id)).toEqual(refused('FORBIDDEN'));
    expect(await remove(bob, roomId, bob.user.id)).toEqual(refused('INVALID'));
    expect(await remove(alice, roomId, alice.user.id)).toEqual(refused('INVALID'));
    expect(await remove(alice, roomId, 'u_nobody')).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'user not found' } });
    expect(await bob.request('room:unban', { roomId: 'r_nothere', userId: dave.user.id })).toEqual(refused('NOT_FOUND'));
    expect(await dave.request('room:unban', { roomId, userId: dave.user.id })).toEqual(refused('FORBIDDEN'));
    // The refusals changed nothing.
    expect((await summaryOf(server, alice, roomId)).memberCount).toBe(4);

    const daveLeft = dave.next('room:left');
    expect(await remove(bob, roomId, dave.user.id)).toEqual({ ok: true, data: {} });
    await daveLeft;
    const carolLeft = carol.next('room:left');
    expect(await remove(alice, roomId, carol.user.id)).toEqual({ ok: true, data: {} });
    await carolLeft;
    // Removed without a ban: they may come back.
    expect((await dave.call('room:join', { roomId })).room.memberCount).toBe(3);
    dave.close();
  });

  it('has no moderators in DMs, and none outside the room', async ({ alice, bob, carol }) => {
    const dm = await dmOf(alice, bob);
    expect(await remove(alice, dm, bob.user.id, true)).toEqual(refused('FORBIDDEN'));
    expect(await alice.request('room:unban', { roomId: dm, userId: bob.user.id })).toEqual(refused('FORBIDDEN'));
    expect(await carol.request('room:unban', { roomId: dm, userId: bob.user.id })).toEqual(refused('NOT_FOUND'));
    const priv = await moderatedRoom(alice, 'private', [bob]);
    expect(await remove(carol, priv, bob.user.id, true)).toEqual(refused('NOT_FOUND'));
    const pub = await moderatedRoom(alice, 'public', [bob]);
    expect(await remove(carol, pub, bob.user.id, true)).toEqual(refused('FORBIDDEN'));
    expect((await bob.call('message:history', { roomId: pub })).messages).toEqual([]);
  });
});
