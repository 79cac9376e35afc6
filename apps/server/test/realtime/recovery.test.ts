import { describe, expect } from 'vitest';
import { api, connect, connected, dropTransport, eventNames, type Client } from '../support/harness.js';
import { it } from '../support/people.js';

async function publicRoom(owner: Client, name: string, ...members: Client[]) {
  const { room } = await owner.call('room:create', { name, visibility: 'public' });
  for (const member of members) {
    // Waiting for the owner to hear of it also gives their socket an offset to resume from.
    const heard = owner.next('room:member-joined', (e) => e.user.id === member.user.id);
    await member.call('room:join', { roomId: room.id });
    await heard;
  }
  return room;
}

describe('connection state recovery', () => {
  it('restores a dropped socket with the messages it missed, without a history fetch', async ({ server, alice, bob }) => {
    const room = await publicRoom(alice, 'recover', bob);
    await dropTransport(server, alice);
    const { message } = await bob.call('message:send', { roomId: room.id, clientMsgId: 'while-away', text: 'you missed this' });

    const delivered = alice.next('message:created', (m) => m.id === message.id);
    alice.socket.connect();
    await connected(alice.socket);
    expect(alice.socket.recovered).toBe(true);
    expect(await delivered).toEqual(message);
  });

  it('gives a socket whose session was logged out meanwhile nothing: no recovery, no missed packets', async ({ server, alice, bob }) => {
    const room = await publicRoom(alice, 'logged-out', bob);
    const packets = await dropTransport(server, alice);
    await bob.call('message:send', { roomId: room.id, clientMsgId: 'secret', text: 'not for a logged-out socket' });
    expect((await api(server.url, alice.person.token)('/api/auth/logout', { method: 'POST' })).status).toBe(204);

    alice.socket.connect();
    await expect(connected(alice.socket)).rejects.toThrow('UNAUTHORIZED');
    expect(eventNames(packets)).toEqual([]);
    expect(packets.map((p) => p.type)).toEqual([4]); // CONNECT_ERROR, and nothing else
  });

  it('gives a socket whose user left a room from another device nothing more of that room', async ({ server, alice, bob }) => {
    const room = await publicRoom(alice, 'left-elsewhere', bob);
    const other = await publicRoom(alice, 'still-here', bob);
    const secondDevice = await connect(server.url, alice.person);
    try {
      const packets = await dropTransport(server, alice);
      await bob.call('message:send', { roomId: room.id, clientMsgId: 'before-leave', text: 'sent before alice left' });
      await secondDevice.call('room:leave', { roomId: room.id });
      await bob.call('message:send', { roomId: room.id, clientMsgId: 'after-leave', text: 'sent after alice left' });

      alice.socket.connect();
      await connected(alice.socket);
      expect(alice.socket.recovered).toBe(false);

      // Still a member elsewhere: a later message in that room arrives, and nothing of the left room came before it.
      const marker = alice.next('message:created', (m) => m.roomId === other.id);
      await bob.call('message:send', { roomId: room.id, clientMsgId: 'later', text: 'later, in the left room' });
      await bob.call('message:send', { roomId: other.id, clientMsgId: 'marker', text: 'in a room alice is still in' });
      await marker;
      expect(alice.received('message:created', (m) => m.roomId === room.id)).toEqual([]);
      expect(eventNames(packets)).not.toContain('room:left'); // not replayed: the client refetches its rooms on a fresh connection
      expect(eventNames(packets).filter((e) => e === 'message:created')).toHaveLength(1); // the marker only
    } finally {
      secondDevice.close();
    }
  });

  it('recovers a socket whose user joined a room meanwhile, into that room', async ({ server, alice, bob }) => {
    const announced = alice.next('room:created');
    const { room } = await bob.call('room:create', { name: 'joined-elsewhere', visibility: 'public' });
    await announced; // a socket resumes from the last broadcast it received
    await dropTransport(server, alice);
    const secondDevice = await connect(server.url, alice.person);
    try {
      await secondDevice.call('room:join', { roomId: room.id });
      const joined = alice.next('room:joined', (e) => e.room.id === room.id);
      alice.socket.connect();
      await connected(alice.socket);
      expect(alice.socket.recovered).toBe(true);
      await joined; // replayed from the user's channel

      const delivered = alice.next('message:created', (m) => m.roomId === room.id);
      await bob.call('message:send', { roomId: room.id, clientMsgId: 'welcome', text: 'welcome' });
      await delivered;
    } finally {
      secondDevice.close();
    }
  });
});
