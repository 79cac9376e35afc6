import { describe, expect } from 'vitest';
import { connect, connected, disconnected, join } from '../support/harness.js';
import { fileTest as it } from '../support/people.js';

describe('typing', () => {
  it('reaches the room except the typist, and stops when the typist disconnects', async ({ server, alice, bob }) => {
    const { room } = await alice.call('room:create', { name: 'typing', visibility: 'public' });
    await bob.call('room:join', { roomId: room.id });
    const aliceTablet = await connect(server.url, alice.person);

    expect(await alice.call('typing:set', { roomId: room.id, typing: true })).toEqual({});
    expect(await bob.waitFor('typing:changed', (p) => p.roomId === room.id)).toEqual({
      roomId: room.id,
      userId: alice.user.id,
      username: alice.user.username,
      displayName: alice.user.displayName,
      typing: true,
    });

    const stopped = bob.next('typing:changed', (p) => p.roomId === room.id && !p.typing);
    alice.socket.disconnect();
    expect((await stopped).userId).toBe(alice.user.id);

    // Neither of alice's sockets heard her own typing: a later message proves the tablet is caught up.
    await bob.call('message:send', { roomId: room.id, clientMsgId: 't1', text: 'marker' });
    await aliceTablet.waitFor('message:created', (m) => m.roomId === room.id);
    expect(aliceTablet.received('typing:changed')).toEqual([]);
    aliceTablet.close();
    // The later tests of this file share alice: bring her socket back.
    alice.socket.connect();
    await connected(alice.socket);
  });
});

describe('typing and leaving', () => {
  it('tells the room a leaver stopped typing, and says nothing more of them there', async ({ server, alice }) => {
    const { room } = await alice.call('room:create', { name: 'typing-leave', visibility: 'public' });
    const { room: lobby } = await alice.call('room:create', { name: 'lobby', visibility: 'public' });
    const dave = await join(server.url, 'dave');
    await dave.call('room:join', { roomId: room.id });
    await dave.call('room:join', { roomId: lobby.id });
    await dave.call('typing:set', { roomId: room.id, typing: true });
    await alice.waitFor('typing:changed', (p) => p.roomId === room.id && p.typing);
    const stopped = alice.next('typing:changed', (p) => p.roomId === room.id && !p.typing);
    await dave.call('room:leave', { roomId: room.id });
    expect((await stopped).userId).toBe(dave.user.id);
    dave.close();
    // alice still shares the lobby with dave: his going offline comes after anything his disconnect sent.
    await alice.waitFor('presence:changed', (p) => p.userId === dave.user.id && !p.online);
    expect(alice.received('typing:changed', (p) => p.roomId === room.id).map((p) => p.typing)).toEqual([true, false]);
  });
});

describe('presence', () => {
  it('tells people who share a room when a user comes online and goes offline', async ({ server, alice, bob, carol }) => {
    const { room } = await alice.call('room:create', { name: 'presence', visibility: 'public' });
    await carol.call('room:join', { roomId: room.id });
    const dave = await join(server.url, 'dave');
    await dave.call('room:join', { roomId: room.id });
    dave.close();
    const offline = await alice.waitFor('presence:changed', (p) => p.userId === dave.user.id && !p.online);
    expect(offline).toEqual({ userId: dave.user.id, online: false });

    const online = alice.next('presence:changed', (p) => p.userId === dave.user.id && p.online);
    const daveAgain = await connect(server.url, dave.person);
    await online;
    expect((await alice.call('presence:get', { userIds: [dave.user.id, bob.user.id, 'u_nobody'] })).online).toEqual([
      dave.user.id,
      bob.user.id,
    ]);

    // Still online while a second socket is connected.
    const daveSecond = await connect(server.url, dave.person);
    daveAgain.close();
    await disconnected(daveAgain.socket);
    expect((await alice.call('presence:get', { userIds: [dave.user.id] })).online).toEqual([dave.user.id]);
    const wentOffline = alice.next('presence:changed', (p) => p.userId === dave.user.id && !p.online);
    daveSecond.close();
    await wentOffline;
    expect(alice.received('presence:changed', (p) => p.userId === dave.user.id)).toHaveLength(3);
    expect((await alice.call('presence:get', { userIds: [dave.user.id] })).online).toEqual([]);
  });

  it('answers presence:get only about people who share a room with the caller', async ({ server, alice }) => {
    const stranger = await join(server.url, 'stranger');
    expect((await stranger.call('presence:get', { userIds: [alice.user.id, stranger.user.id] })).online).toEqual([stranger.user.id]);
    const { room } = await alice.call('room:create', { name: 'meet', visibility: 'public' });
    await stranger.call('room:join', { roomId: room.id });
    expect((await stranger.call('presence:get', { userIds: [alice.user.id] })).online).toEqual([alice.user.id]);
    stranger.close();
  });

  it('does not tell people who share no room', async ({ server, alice, bob }) => {
    const { room } = await alice.call('room:create', { name: 'lonely', visibility: 'private' });
    const erin = await join(server.url, 'erin');
    erin.close();
    // bob shares no room with erin; a message in a room bob is in proves he is caught up.
    const { room: marker } = await alice.call('room:create', { name: 'marker2', visibility: 'public' });
    await bob.call('room:join', { roomId: marker.id });
    await alice.call('message:send', { roomId: marker.id, clientMsgId: 'm', text: 'marker' });
    await bob.waitFor('message:created', (m) => m.roomId === marker.id);
    expect(bob.received('presence:changed', (p) => p.userId === erin.user.id)).toEqual([]);
    expect(room.kind).toBe('private');
  });
});

describe('membership follows the user across devices', () => {
  it('joins every socket of the user to a room they joined on one device', async ({ server, alice, bob }) => {
    const { room } = await alice.call('room:create', { name: 'devices', visibility: 'public' });
    const phone = await connect(server.url, bob.person);
    const joined = phone.next('room:joined', (p) => p.room.id === room.id);
    await bob.call('room:join', { roomId: room.id });
    await joined;
    await alice.call('message:send', { roomId: room.id, clientMsgId: 'd1', text: 'to both devices' });
    await phone.waitFor('message:created', (m) => m.roomId === room.id);
    await bob.waitFor('message:created', (m) => m.roomId === room.id);

    const left = phone.next('room:left', (p) => p.roomId === room.id);
    await bob.call('room:leave', { roomId: room.id });
    await left;
    phone.close();
  });

  it('puts a reconnecting socket in all its stored rooms', async ({ server, alice, carol }) => {
    const { room } = await alice.call('room:create', { name: 'stored', visibility: 'public' });
    await carol.call('room:join', { roomId: room.id });
    const fresh = await connect(server.url, carol.person);
    await alice.call('message:send', { roomId: room.id, clientMsgId: 's1', text: 'stored membership' });
    expect((await fresh.waitFor('message:created', (m) => m.roomId === room.id)).text).toBe('stored membership');
    fresh.close();
  });
});
