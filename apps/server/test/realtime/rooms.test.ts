import { dmRoomId } from '@parley/protocol';
import { describe, expect } from 'vitest';
import { api } from '../support/harness.js';
import { fileTest as it } from '../support/people.js';

describe('public rooms', () => {
  it('creates a room owned by its creator, who is its first member', async ({ alice }) => {
    const { room } = await alice.call('room:create', { name: '  General  ', visibility: 'public' });
    expect(room).toEqual({
      id: expect.stringMatching(/^r_/),
      kind: 'public',
      name: 'General',
      memberCount: 1,
      lastSeq: 0,
      lastRev: 0,
      topic: '',
    });
    const joined = await alice.waitFor('room:joined', (p) => p.room.id === room.id);
    expect(joined.room).toMatchObject({ joined: true, unread: 0 });
  });

  it('announces a new public room to everyone else, and a private one to no one', async ({ alice, bob, carol }) => {
    const { room: priv } = await alice.call('room:create', { name: 'hidden', visibility: 'private' });
    const { room } = await alice.call('room:create', { name: 'announced', visibility: 'public' });
    expect(await bob.waitFor('room:created', (p) => p.room.id === room.id)).toEqual({ room });
    await carol.waitFor('room:created', (p) => p.room.id === room.id);
    expect(bob.received('room:created', (p) => p.room.id === priv.id)).toEqual([]);
    expect(alice.received('room:created')).toEqual([]);
  });

  it('lets anyone join; the room hears member-joined and the joiner hears room:joined', async ({ server, alice, bob }) => {
    const { room } = await alice.call('room:create', { name: 'open', visibility: 'public' });
    const list = await api(server.url, bob.person.token)('/api/rooms');
    expect(list.body.rooms).toContainEqual({
      ...room,
      joined: false,
      unread: 0,
      lastMessage: null,
      invitedBy: null,
      mentions: 0,
      threadsUnread: 0,
      role: null,
      muted: false,
    });

    const joined = await bob.call('room:join', { roomId: room.id });
    expect(joined.room).toMatchObject({ id: room.id, memberCount: 2 });
    expect(await alice.waitFor('room:member-joined', (p) => p.roomId === room.id)).toEqual({ roomId: room.id, user: bob.user });
    expect((await bob.waitFor('room:joined', (p) => p.room.id === room.id)).room.joined).toBe(true);

    // Joining again changes nothing and announces nothing new.
    expect((await bob.call('room:join', { roomId: room.id })).room.memberCount).toBe(2);
    expect(alice.received('room:member-joined', (p) => p.roomId === room.id)).toHaveLength(1);
  });

  it('leaving tells the room and every socket of the leaver, and stops delivery', async ({ alice, bob }) => {
    const { room } = await alice.call('room:create', { name: 'leavable', visibility: 'public' });
    await bob.call('room:join', { roomId: room.id });
    expect(await bob.call('room:leave', { roomId: room.id })).toEqual({});
    expect(await alice.waitFor('room:member-left', (p) => p.roomId === room.id)).toEqual({ roomId: room.id, userId: bob.user.id });
    await bob.waitFor('room:left', (p) => p.roomId === room.id);

    await alice.call('message:send', { roomId: room.id, clientMsgId: 'after-leave', text: 'bob is gone' });
    // A later message in a room bob still shares proves he got nothing from the room he left.
    const { room: marker } = await alice.call('room:create', { name: 'marker', visibility: 'public' });
    await bob.call('room:join', { roomId: marker.id });
    await alice.call('message:send', { roomId: marker.id, clientMsgId: 'marker', text: 'marker' });
    await bob.waitFor('message:created', (m) => m.roomId === marker.id);
    expect(bob.received('message:created', (m) => m.roomId === room.id)).toEqual([]);

    const ack = await bob.request('message:send', { roomId: room.id, clientMsgId: 'x', text: 'hi' });
    expect(ack).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.any(String) } });
  });

  it('answers NOT_FOUND for a room that does not exist', async ({ bob }) => {
    for (const event of ['room:join', 'room:leave'] as const) {
      const ack = await bob.request(event, { roomId: 'r_doesnotexist' });
      expect(ack).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
  });
});

describe('private rooms', () => {
  it('is invisible to outsiders exactly like a missing room', async ({ server, alice, carol }) => {
    const { room } = await alice.call('room:create', { name: 'secret', visibility: 'private' });
    const missing = await carol.request('room:join', { roomId: 'r_missing000000000000' });
    for (const ack of [
      await carol.request('room:join', { roomId: room.id }),
      await carol.request('message:send', { roomId: room.id, clientMsgId: 'x', text: 'let me in' }),
      await carol.request('message:history', { roomId: room.id }),
      await carol.request('room:read', { roomId: room.id, seq: 1 }),
      await carol.request('typing:set', { roomId: room.id, typing: true }),
      await carol.request('room:invite', { roomId: room.id, userId: carol.user.id }),
      await carol.request('room:leave', { roomId: room.id }),
    ]) {
      expect(ack).toEqual(missing);
    }
    const list = await api(server.url, carol.person.token)('/api/rooms');
    expect(list.body.rooms.map((r: { id: string }) => r.id)).not.toContain(room.id);
    const http = await api(server.url, carol.person.token)(`/api/rooms/${room.id}/messages`);
    expect(http.status).toBe(404);
    expect(http.body.error.code).toBe('NOT_FOUND');
  });

  it('lets a member invite; the invitee hears it and may join; others still may not', async ({ alice, bob, carol }) => {
    const { room } = await alice.call('room:create', { name: 'invite-only', visibility: 'private' });
    expect((await bob.request('room:join', { roomId: room.id })).ok).toBe(false);

    expect(await alice.call('room:invite', { roomId: room.id, userId: bob.user.id })).toEqual({});
    const invited = await bob.waitFor('room:invited', (p) => p.room.id === room.id);
    expect(invited).toEqual({ room: { ...room }, by: alice.user });

    const { room: joined } = await bob.call('room:join', { roomId: room.id });
    expect(joined.memberCount).toBe(2);
    await alice.call('message:send', { roomId: room.id, clientMsgId: 'p1', text: 'welcome bob' });
    expect((await bob.waitFor('message:created', (m) => m.roomId === room.id)).text).toBe('welcome bob');
    expect((await carol.request('room:join', { roomId: room.id })).ok).toBe(false);
  });

  it('refuses invitations to public rooms and to unknown users', async ({ alice, bob }) => {
    const { room: pub } = await alice.call('room:create', { name: 'pub', visibility: 'public' });
    expect(await alice.request('room:invite', { roomId: pub.id, userId: bob.user.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const { room: priv } = await alice.call('room:create', { name: 'priv', visibility: 'private' });
    expect(await alice.request('room:invite', { roomId: priv.id, userId: 'u_nobody' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('lists private rooms for members only', async ({ server, alice }) => {
    const { room } = await alice.call('room:create', { name: 'listed', visibility: 'private' });
    const mine = await api(server.url, alice.person.token)('/api/rooms');
    expect(mine.body.rooms).toContainEqual({
      ...room,
      joined: true,
      unread: 0,
      lastMessage: null,
      invitedBy: null,
      mentions: 0,
      threadsUnread: 0,
      role: 'owner',
      muted: false,
    });
  });
});

describe('direct messages', () => {
  it('opens the sorted-id DM, makes both members and tells both', async ({ server, alice, bob }) => {
    const { room } = await alice.call('dm:open', { userId: bob.user.id });
    expect(room).toEqual({
      id: dmRoomId(alice.user.id, bob.user.id),
      kind: 'dm',
      name: bob.user.username,
      memberCount: 2,
      lastSeq: 0,
      lastRev: 0,
      topic: '',
    });
    const bobSees = await bob.waitFor('room:joined', (p) => p.room.id === room.id);
    expect(bobSees.room).toMatchObject({ kind: 'dm', name: alice.user.username, joined: true });

    // Opening again (from either side) returns the same room and creates nothing.
    expect((await bob.call('dm:open', { userId: alice.user.id })).room).toMatchObject({ id: room.id, name: alice.user.username });

    await bob.call('message:send', { roomId: room.id, clientMsgId: 'dm1', text: 'hi alice' });
    expect((await alice.waitFor('message:created', (m) => m.roomId === room.id)).text).toBe('hi alice');

    const bobList = await api(server.url, bob.person.token)('/api/rooms');
    expect(bobList.body.rooms.find((r: { id: string }) => r.id === room.id)).toMatchObject({ name: alice.user.username });
  });

  it('is invisible to a third person', async ({ server, alice, bob, carol }) => {
    const roomId = dmRoomId(alice.user.id, bob.user.id);
    await alice.call('dm:open', { userId: bob.user.id });
    expect(await carol.request('room:join', { roomId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await carol.request('message:history', { roomId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await carol.request('message:send', { roomId, clientMsgId: 'c', text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const list = await api(server.url, carol.person.token)('/api/rooms');
    expect(list.body.rooms.map((r: { id: string }) => r.id)).not.toContain(roomId);
  });

  it('refuses a DM with yourself or an unknown user', async ({ alice }) => {
    expect(await alice.request('dm:open', { userId: alice.user.id })).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    expect(await alice.request('dm:open', { userId: 'u_nobody' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('a DM left by one side is re-joined when the other opens it again', async ({ bob, carol }) => {
    const { room } = await carol.call('dm:open', { userId: bob.user.id });
    await bob.call('room:leave', { roomId: room.id });
    const rejoined = bob.next('room:joined', (p) => p.room.id === room.id);
    expect((await carol.call('dm:open', { userId: bob.user.id })).room.memberCount).toBe(2);
    expect((await rejoined).room).toMatchObject({ name: carol.user.username, joined: true });
  });
});
