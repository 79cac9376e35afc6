import type { Message } from '@parley/protocol';
import { describe, expect } from 'vitest';
import { api } from '../support/harness.js';
import { it } from '../support/people.js';
import {
  current,
  expectRefusals,
  expectUnchanged,
  messageEvents,
  refused,
  roomOf,
  send,
  settled,
  summaryOf,
} from './conversation.support.js';

const summaryAfter = (reply: Message, replyCount: number) => ({ replyCount, lastReplyAt: reply.createdAt, lastReplySeq: reply.seq });
const seqs = (messages: Message[]) => messages.map((m) => m.seq);

describe('thread replies', () => {
  it('take the room’s next seq; message:created for the reply, then message:updated for its root with the next rev', async ({
    server,
    alice,
    bob,
    carol,
  }) => {
    const roomId = await roomOf(alice, 'public', [bob, carol]);
    const root = await send(alice, roomId, 'what do we ship?');
    await send(carol, roomId, 'unrelated');
    const since = carol.events.length;

    const reply = await send(bob, roomId, 'the thread layer', root.id);
    expect(reply).toMatchObject({ seq: 3, rev: 3, threadRootId: root.id, thread: null, text: 'the thread layer' });
    const updatedRoot = { ...root, rev: 4, thread: summaryAfter(reply, 1) };
    for (const client of [alice, bob, carol]) expect(await client.waitFor('message:updated', (m) => m.id === root.id)).toEqual(updatedRoot);
    expect(messageEvents(carol, roomId, since)).toEqual([`message:created ${reply.id}@3`, `message:updated ${root.id}@4`]);
    expect(carol.received('message:created', (m) => m.id === reply.id)).toEqual([reply]);

    const second = await send(alice, roomId, 'and the web app', root.id);
    expect(second).toMatchObject({ seq: 4, rev: 5, threadRootId: root.id });
    expect(await carol.waitFor('message:updated', (m) => m.id === root.id && m.rev === 6)).toEqual({
      ...root,
      rev: 6,
      thread: summaryAfter(second, 2),
    });
    expect(await current(carol, roomId, root.id)).toEqual({ ...root, rev: 6, thread: summaryAfter(second, 2) });
    expect(await summaryOf(server, carol, roomId)).toMatchObject({ lastSeq: 4, lastRev: 6 });
  });

  it('go one level deep, to a live root of the same room: INVALID, CONFLICT or NOT_FOUND otherwise, and nothing stored', async ({
    server,
    alice,
    bob,
  }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const elsewhere = await send(alice, await roomOf(alice, 'public', [bob]), 'a root of another room');
    const root = await send(alice, roomId, 'root');
    const reply = await send(bob, roomId, 'reply', root.id);
    const gone = await send(alice, roomId, 'deleted root');
    const deleted = (await alice.call('message:delete', { roomId, messageId: gone.id })).message;
    const before = await settled(server, [alice, bob], 'message:updated', deleted);

    const attempts: Array<[string, string]> = [
      [reply.id, 'INVALID'],
      [gone.id, 'CONFLICT'],
      [elsewhere.id, 'NOT_FOUND'],
      ['m_does_not_exist', 'NOT_FOUND'],
    ];
    for (const [threadRootId, code] of attempts) {
      const ack = await bob.request('message:send', { roomId, clientMsgId: `bad-${threadRootId}`, text: 'hm', threadRootId });
      expect(ack, threadRootId).toEqual(refused(code));
    }
    await expectUnchanged(before);
    expect(await current(bob, elsewhere.roomId, elsewhere.id)).toEqual(elsewhere);
  });

  it('are idempotent: the same clientMsgId returns the original reply, the root does not change, nothing is broadcast', async ({
    server,
    alice,
    bob,
  }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const root = await send(alice, roomId, 'root');
    const payload = { roomId, clientMsgId: 'reply-once', text: 'once', threadRootId: root.id };
    const { message: reply } = await bob.call('message:send', payload);
    const updatedRoot = await alice.waitFor('message:updated', (m) => m.id === root.id);
    expect(updatedRoot.thread).toEqual(summaryAfter(reply, 1));
    const before = await settled(server, [alice, bob], 'message:updated', updatedRoot);

    expect(await bob.call('message:send', payload)).toEqual({ message: reply });
    expect(await bob.call('message:send', { ...payload, text: 'twice?' })).toEqual({ message: reply });
    await expectUnchanged(before);
  });

  it('deleted, update the root’s summary, down to a null thread when none remain', async ({ alice, bob, carol }) => {
    const roomId = await roomOf(alice, 'public', [bob, carol]);
    const root = await send(alice, roomId, 'root');
    const first = await send(bob, roomId, 'first reply', root.id);
    const second = await send(bob, roomId, 'second reply', root.id);
    await carol.waitFor('message:updated', (m) => m.id === root.id && m.rev === second.rev + 1);
    const since = carol.events.length;

    const tombstone = (await bob.call('message:delete', { roomId, messageId: second.id })).message;
    const afterOne = await carol.waitFor('message:updated', (m) => m.id === root.id && m.rev === tombstone.rev + 1);
    expect(afterOne).toEqual({ ...root, rev: tombstone.rev + 1, thread: summaryAfter(first, 1) });

    const lastTombstone = (await alice.call('message:delete', { roomId, messageId: first.id })).message; // the owner
    const afterAll = await carol.waitFor('message:updated', (m) => m.id === root.id && m.rev === lastTombstone.rev + 1);
    expect(afterAll).toEqual({ ...root, rev: lastTombstone.rev + 1, thread: null });
    expect(messageEvents(carol, roomId, since)).toEqual([
      `message:updated ${second.id}@${tombstone.rev}`,
      `message:updated ${root.id}@${tombstone.rev + 1}`,
      `message:updated ${first.id}@${lastTombstone.rev}`,
      `message:updated ${root.id}@${lastTombstone.rev + 1}`,
    ]);
    expect(await current(carol, roomId, root.id)).toEqual(afterAll);
  });
});

describe('history of threads', () => {
  it('pages a thread’s replies by seq; topLevel leaves replies out; over the socket and HTTP alike', async ({
    server,
    alice,
    bob,
    carol,
  }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const root = await send(alice, roomId, 'root A');
    const other = await send(bob, roomId, 'root B');
    const replies: Message[] = [];
    const topLevel: Message[] = [root, other];
    for (let i = 1; i <= 7; i++) {
      replies.push(await send(i % 2 ? bob : alice, roomId, `A reply ${i}`, root.id));
      await send(alice, roomId, `B reply ${i}`, other.id);
      if (i % 3 === 0) topLevel.push(await send(bob, roomId, `top ${i}`));
    }
    const ids = (messages: Message[]) => messages.map((m) => m.id);
    const thread = (query: { before?: number; after?: number; limit?: number }) =>
      bob.call('message:history', { roomId, threadRootId: root.id, ...query }).then((r) => r.messages);

    expect(ids(await thread({}))).toEqual(ids(replies));
    expect(ids(await thread({ limit: 3 }))).toEqual(ids(replies.slice(4)));
    expect(ids(await thread({ before: replies[4]!.seq, limit: 2 }))).toEqual(ids(replies.slice(2, 4)));
    expect(ids(await thread({ after: replies[1]!.seq, limit: 2 }))).toEqual(ids(replies.slice(2, 4)));
    expect(ids(await thread({ after: 0, limit: 1 }))).toEqual(ids(replies.slice(0, 1)));
    expect(await thread({ after: replies[6]!.seq })).toEqual([]);

    const top = (await bob.call('message:history', { roomId, topLevel: true })).messages;
    expect(ids(top)).toEqual(ids(topLevel));
    expect(top.every((m) => m.threadRootId === null)).toBe(true);
    expect(seqs((await bob.call('message:history', { roomId, topLevel: true, before: topLevel[2]!.seq, limit: 1 })).messages)).toEqual([
      other.seq,
    ]);
    // v1 history is every message of the room, replies included.
    const all = (await bob.call('message:history', { roomId, limit: 100 })).messages;
    expect(seqs(all)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect(all).toHaveLength(2 + 14 + 2);

    const http = api(server.url, carol.person.token); // public: anyone signed in reads it
    expect((await http(`/api/rooms/${roomId}/messages?threadRootId=${root.id}&limit=3`)).body).toEqual({ messages: replies.slice(4) });
    expect((await http(`/api/rooms/${roomId}/messages?topLevel=true`)).body).toEqual({ messages: top });
    expect((await http(`/api/rooms/${roomId}/messages?topLevel=false&limit=100`)).body).toEqual({ messages: all });
  });

  it('refuses threadRootId with topLevel (INVALID), an unknown root (NOT_FOUND) and a reply as a root (INVALID)', async ({
    server,
    alice,
    bob,
  }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const root = await send(alice, roomId, 'root');
    const reply = await send(bob, roomId, 'reply', root.id);
    const http = api(server.url, bob.person.token);
    expect(await bob.request('message:history', { roomId, threadRootId: root.id, topLevel: true })).toEqual(refused('INVALID'));
    expect(await http(`/api/rooms/${roomId}/messages?threadRootId=${root.id}&topLevel=true`)).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID' } },
    });
    expect(await bob.request('message:history', { roomId, threadRootId: 'm_does_not_exist' })).toEqual(refused('NOT_FOUND'));
    expect((await http(`/api/rooms/${roomId}/messages?threadRootId=m_does_not_exist`)).status).toBe(404);
    expect(await bob.request('message:history', { roomId, threadRootId: reply.id })).toEqual(refused('INVALID'));
  });
});

describe('thread:read', () => {
  it('moves my marker in a thread forward only', async ({ server, alice, bob }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const root = await send(alice, roomId, 'root');
    for (let i = 0; i < 4; i++) await send(alice, roomId, `reply ${i}`, root.id);
    // Reading with seq 0 never moves a marker, so it tells where it is.
    const markerOf = () => server.storage.messages.markThreadRead(roomId, root.id, bob.user.id, 0);

    expect(await bob.call('thread:read', { roomId, threadRootId: root.id, seq: 4 })).toEqual({});
    expect(await markerOf()).toBe(4);
    await bob.call('thread:read', { roomId, threadRootId: root.id, seq: 2 });
    expect(await markerOf()).toBe(4);
    await bob.call('thread:read', { roomId, threadRootId: root.id, seq: 5 });
    expect(await markerOf()).toBe(5);
  });

  it('refuses an unknown root or one of another room (NOT_FOUND), a reply (INVALID), and non-members as message:send does', async ({
    alice,
    bob,
    carol,
  }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const reply = await send(bob, roomId, 'reply', (await send(alice, roomId, 'root')).id);
    expect(await bob.request('thread:read', { roomId, threadRootId: reply.id, seq: 1 })).toEqual(refused('INVALID'));

    await expectRefusals(alice, bob, {
      unknownMessage: async (theirs, threadRootId) => [await bob.request('thread:read', { roomId: theirs, threadRootId, seq: 1 })],
      outsider: async ({ roomId: theirs, message }) => [
        await carol.request('thread:read', { roomId: theirs, threadRootId: message.id, seq: 1 }),
        await carol.request('message:send', { roomId: theirs, clientMsgId: `r-${theirs}`, text: 'me too', threadRootId: message.id }),
      ],
    });
  });
});
