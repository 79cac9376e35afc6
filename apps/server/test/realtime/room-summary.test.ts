import { roomJoinedSchema, roomListResultSchema, type RoomSummary } from '@parley/protocol';
import { describe, expect } from 'vitest';
import { api, type Client, type TestServer } from '../support/harness.js';
import { fileTest as it } from '../support/people.js';

/**
 * Each room in `GET /api/rooms` and in `room:joined` carries its newest message (`lastMessage`) for
 * whoever may read the room, and, for a private room the viewer is invited to, who invited them
 * (`invitedBy`). Answers are parsed with the strict protocol schemas.
 */

const listOf = async (server: TestServer, client: Client) => {
  const { status, body } = await api(server.url, client.person.token)('/api/rooms');
  expect(status).toBe(200);
  return { rooms: roomListResultSchema.parse(body).rooms, raw: JSON.stringify(body) };
};
const summaryIn = async (server: TestServer, client: Client, roomId: string): Promise<RoomSummary | undefined> =>
  (await listOf(server, client)).rooms.find((r) => r.id === roomId);

describe('room previews', () => {
  it('shows the newest message of a public room to everyone, joined or not, with its whole text', async ({ server, alice, bob, carol }) => {
    const { room } = await alice.call('room:create', { name: 'preview-public', visibility: 'public' });
    const { room: quiet } = await alice.call('room:create', { name: 'preview-quiet', visibility: 'public' });
    expect(await summaryIn(server, carol, room.id)).toMatchObject({ lastSeq: 0, lastMessage: null, invitedBy: null });

    await alice.call('message:send', { roomId: room.id, clientMsgId: 'pp1', text: 'first' });
    await bob.call('room:join', { roomId: room.id });
    const text = `long ${'é😀'.repeat(1990)} end`;
    const { message } = await bob.call('message:send', { roomId: room.id, clientMsgId: 'pp2', text });
    const preview = { text, author: bob.user, createdAt: message.createdAt };

    for (const viewer of [alice, bob, carol]) {
      expect(await summaryIn(server, viewer, room.id)).toMatchObject({ lastSeq: 2, lastMessage: preview, invitedBy: null });
      expect(await summaryIn(server, viewer, quiet.id)).toMatchObject({ lastMessage: null, invitedBy: null });
    }

    // Joining later: room:joined carries the preview too.
    const joined = carol.next('room:joined', (p) => p.room.id === room.id);
    await carol.call('room:join', { roomId: room.id });
    expect(roomJoinedSchema.parse(await joined).room).toMatchObject({ joined: true, unread: 0, lastMessage: preview, invitedBy: null });
  });

  it('private room: the invitee sees who invited them and no preview; once joined, the preview and no inviter', async ({
    server,
    alice,
    bob,
    carol,
  }) => {
    const { room } = await alice.call('room:create', { name: 'preview-private', visibility: 'private' });
    const { message } = await alice.call('message:send', { roomId: room.id, clientMsgId: 'pv1', text: 'the secret plan' });
    expect(await summaryIn(server, alice, room.id)).toMatchObject({
      joined: true,
      lastMessage: { text: 'the secret plan', author: alice.user, createdAt: message.createdAt },
      invitedBy: null,
    });

    await alice.call('room:invite', { roomId: room.id, userId: bob.user.id });
    await bob.waitFor('room:invited', (p) => p.room.id === room.id);
    const invited = await listOf(server, bob);
    expect(invited.rooms.find((r) => r.id === room.id)).toEqual({
      ...room,
      lastSeq: 1,
      lastRev: 1,
      joined: false,
      unread: 0,
      lastMessage: null,
      invitedBy: alice.user,
      mentions: 0,
      threadsUnread: 0,
      role: null,
      muted: false,
    });
    expect(invited.raw).not.toContain('the secret plan');

    const joined = bob.next('room:joined', (p) => p.room.id === room.id);
    await bob.call('room:join', { roomId: room.id });
    const preview = { text: 'the secret plan', author: alice.user, createdAt: message.createdAt };
    expect(roomJoinedSchema.parse(await joined).room).toMatchObject({ joined: true, lastMessage: preview, invitedBy: null });
    expect(await summaryIn(server, bob, room.id)).toMatchObject({ joined: true, lastMessage: preview, invitedBy: null });

    // The outsider never has the room, its preview or its inviter in their list.
    await bob.call('message:send', { roomId: room.id, clientMsgId: 'pv2', text: 'count me in' });
    const outsider = await listOf(server, carol);
    expect(outsider.rooms.map((r) => r.id)).not.toContain(room.id);
    expect(outsider.raw).not.toMatch(/secret plan|count me in/);
  });

  it('previews a DM to its two members as any room, and to no one else', async ({ server, alice, bob, carol }) => {
    const { room } = await alice.call('dm:open', { userId: bob.user.id });
    expect(await summaryIn(server, bob, room.id)).toMatchObject({ lastMessage: null, invitedBy: null });
    await alice.call('message:send', { roomId: room.id, clientMsgId: 'dm1', text: 'hi bob' });
    const { message } = await bob.call('message:send', { roomId: room.id, clientMsgId: 'dm2', text: 'hi alice, just between us' });
    const preview = { text: 'hi alice, just between us', author: bob.user, createdAt: message.createdAt };
    expect(await summaryIn(server, alice, room.id)).toMatchObject({ kind: 'dm', name: bob.user.username, lastMessage: preview });
    expect(await summaryIn(server, bob, room.id)).toMatchObject({ kind: 'dm', name: alice.user.username, lastMessage: preview });
    expect((await listOf(server, carol)).raw).not.toContain('just between us');

    // Left and opened again by the other side: room:joined brings the preview back.
    await bob.call('room:leave', { roomId: room.id });
    const rejoined = bob.next('room:joined', (p) => p.room.id === room.id);
    await alice.call('dm:open', { userId: bob.user.id });
    expect(roomJoinedSchema.parse(await rejoined).room).toMatchObject({ joined: true, lastMessage: preview, invitedBy: null });
  });
});
