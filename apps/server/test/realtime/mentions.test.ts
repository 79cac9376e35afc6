import { describe, expect, it } from 'vitest';
import { connect, startWithPeople } from '../support/harness.js';
import { withPeople, type StartPeople } from '../support/people.js';
import { describeEachStorage } from '../support/storages.js';
import { roomOf, send, summaryOf } from './conversation.support.js';

/**
 * Issue 15 over the wire: `mentions` computed by the server on send and edit, the badges of
 * GET /api/rooms (`mentions`, `threadsUnread`), and `room:mute` with `room:muted` to the user's
 * other sockets. On SQLite and on PostgreSQL.
 */
describeEachStorage('issue 15 over the wire', (startServer) => {
  const start: StartPeople = (overrides) => startWithPeople(overrides, startServer);

  describe('mentions', () => {
    it(
      'computes mentions of members on send and edit; @room from the owner only; badges above the read marker',
      withPeople(start, async ({ server, alice, bob, carol }) => {
        const roomId = await roomOf(alice, 'public', [bob]);
        const [b, c] = [bob.user, carol.user];
        const heard = bob.next('message:created', (m) => m.roomId === roomId);
        const first = await send(alice, roomId, `hi @${b.username.toUpperCase()}, and @${c.username} and @${alice.user.username}`);
        expect(first.mentions).toEqual([b.id]);
        expect((await heard).mentions).toEqual([b.id]);
        expect(await summaryOf(server, bob, roomId)).toMatchObject({ unread: 1, mentions: 1, threadsUnread: 0, muted: false });

        expect((await send(bob, roomId, 'look @room')).mentions).toEqual([]);
        expect((await send(alice, roomId, 'look @room')).mentions).toEqual([b.id]);
        // bob's own message moved his read marker past the first mention.
        expect((await summaryOf(server, bob, roomId)).mentions).toBe(1);

        // An edit recomputes: the newly mentioned count it, the no longer mentioned do not.
        await carol.call('room:join', { roomId });
        const updated = carol.next('message:updated', (m) => m.id === first.id);
        const { message: edited } = await alice.call('message:edit', { roomId, messageId: first.id, text: `hi @${c.username}` });
        expect(edited.mentions).toEqual([c.id]);
        expect((await updated).mentions).toEqual([c.id]);
        // carol joined after it: below her read marker, so not unread.
        expect((await summaryOf(server, carol, roomId)).mentions).toBe(0);
        expect((await summaryOf(server, bob, roomId)).mentions).toBe(1);
        await bob.call('room:read', { roomId, seq: 3 });
        expect((await summaryOf(server, bob, roomId)).mentions).toBe(0);

        // A delete erases them.
        const late = await send(alice, roomId, `@${c.username} see this`);
        expect((await summaryOf(server, carol, roomId)).mentions).toBe(1);
        const { message: tombstone } = await alice.call('message:delete', { roomId, messageId: late.id });
        expect(tombstone.mentions).toEqual([]);
        expect((await summaryOf(server, carol, roomId)).mentions).toBe(0);
      }),
    );

    it(
      'counts threads I follow with replies I have not read',
      withPeople(start, async ({ server, alice, bob, carol }) => {
        const roomId = await roomOf(alice, 'public', [bob, carol]);
        const root = await send(alice, roomId, 'a question');
        await send(bob, roomId, 'an answer', root.id);
        expect(await summaryOf(server, alice, roomId)).toMatchObject({ threadsUnread: 1 });
        expect(await summaryOf(server, carol, roomId)).toMatchObject({ threadsUnread: 0 });
        const mention = await send(bob, roomId, `what do you think, @${carol.user.username}?`, root.id);
        expect(await summaryOf(server, carol, roomId)).toMatchObject({ threadsUnread: 1, mentions: 1 });
        await carol.call('thread:read', { roomId, threadRootId: root.id, seq: mention.seq });
        await alice.call('thread:read', { roomId, threadRootId: root.id, seq: mention.seq });
        expect(await summaryOf(server, carol, roomId)).toMatchObject({ threadsUnread: 0, mentions: 1 });
        expect(await summaryOf(server, alice, roomId)).toMatchObject({ threadsUnread: 0 });
      }),
    );
  });

  describe('room:mute', () => {
    it(
      'mutes for the member, on every device of theirs; again changes and tells nothing',
      withPeople(start, async ({ server, alice, bob }) => {
        const roomId = await roomOf(alice, 'public', [bob]);
        const other = await connect(server.url, bob.person);
        try {
          const muted = other.next('room:muted', (e) => e.roomId === roomId);
          expect(await bob.request('room:mute', { roomId, muted: true })).toEqual({ ok: true, data: {} });
          expect(await muted).toEqual({ roomId, muted: true });
          expect(await summaryOf(server, bob, roomId)).toMatchObject({ muted: true });
          expect(await summaryOf(server, alice, roomId)).toMatchObject({ muted: false });
          // Muted rooms still count mentions.
          await send(alice, roomId, `@${bob.user.username} still counts`);
          expect(await summaryOf(server, bob, roomId)).toMatchObject({ muted: true, mentions: 1 });

          const since = other.events.length;
          await bob.call('room:mute', { roomId, muted: true });
          const unmuted = other.next('room:muted', (e) => e.roomId === roomId);
          await bob.call('room:mute', { roomId, muted: false });
          expect(await unmuted).toEqual({ roomId, muted: false });
          // The repeated mute sent nothing: the unmute is the only room:muted since.
          expect(other.received('room:muted').slice(-1)).toEqual([{ roomId, muted: false }]);
          expect(other.events.slice(since).filter((e) => e.event === 'room:muted')).toHaveLength(1);
          expect(await summaryOf(server, bob, roomId)).toMatchObject({ muted: false });
        } finally {
          other.close();
        }
      }),
    );

    it(
      'is refused as room:read is: FORBIDDEN outside a public room, NOT_FOUND for a private one or none, INVALID payloads',
      withPeople(start, async ({ alice, carol }) => {
        const publicRoom = await roomOf(alice, 'public');
        const privateRoom = await roomOf(alice, 'private');
        const codeOf = async (payload: unknown) => {
          const ack = await carol.request('room:mute', payload as { roomId: string; muted: boolean });
          return ack.ok ? 'ok' : ack.error.code;
        };
        expect(await codeOf({ roomId: publicRoom, muted: true })).toBe('FORBIDDEN');
        expect(await codeOf({ roomId: privateRoom, muted: true })).toBe('NOT_FOUND');
        expect(await codeOf({ roomId: 'r_missing', muted: true })).toBe('NOT_FOUND');
        expect(await codeOf({ roomId: publicRoom, muted: 'yes' })).toBe('INVALID');
        expect(await codeOf({ roomId: publicRoom })).toBe('INVALID');
        expect(carol.received('room:muted')).toEqual([]);
      }),
    );
  });
});
