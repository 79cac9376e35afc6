import { describe, expect } from 'vitest';
import { connected, dropTransport, eventNames } from '../support/harness.js';
import { it } from '../support/people.js';
import { messageEvents, roomOf, send } from './conversation.support.js';

describe('connection state recovery of changes', () => {
  it('replays message:updated like message:created: edits, reactions, deletes and thread changes made while away', async ({
    server,
    alice,
    bob,
  }) => {
    const roomId = await roomOf(alice, 'public', [bob]);
    const first = await send(alice, roomId, 'before the drop');
    const second = await send(alice, roomId, 'also before');
    await bob.waitFor('message:created', (m) => m.id === second.id); // bob's socket resumes from here

    const packets = await dropTransport(server, bob);
    const since = bob.events.length;
    const edited = (await alice.call('message:edit', { roomId, messageId: first.id, text: 'edited while bob was away' })).message;
    const reacted = (await alice.call('reaction:set', { roomId, messageId: first.id, emoji: '👋', on: true })).message;
    const reply = await send(alice, roomId, 'a reply while away', second.id);
    const deleted = (await alice.call('message:delete', { roomId, messageId: second.id })).message;
    expect([edited.rev, reacted.rev, reply.rev, deleted.rev]).toEqual([3, 4, 5, 7]);

    const last = bob.next('message:updated', (m) => m.rev === deleted.rev);
    bob.socket.connect();
    await connected(bob.socket);
    expect(bob.socket.recovered).toBe(true);
    expect(await last).toEqual(deleted);

    expect(messageEvents(bob, roomId, since)).toEqual([
      `message:updated ${first.id}@3`,
      `message:updated ${first.id}@4`,
      `message:created ${reply.id}@5`,
      `message:updated ${second.id}@6`,
      `message:updated ${second.id}@7`,
    ]);
    expect(bob.received('message:updated', (m) => m.rev === 3)).toEqual([edited]);
    expect(bob.received('message:updated', (m) => m.rev === 4)).toEqual([reacted]);
    expect(bob.received('message:created', (m) => m.id === reply.id)).toEqual([reply]);
    expect(bob.received('message:updated', (m) => m.rev === 6)).toEqual([
      { ...second, rev: 6, thread: { replyCount: 1, lastReplyAt: reply.createdAt, lastReplySeq: reply.seq } },
    ]);
    expect(eventNames(packets).filter((e) => e === 'message:updated' || e === 'message:created')).toHaveLength(5);
  });
});
