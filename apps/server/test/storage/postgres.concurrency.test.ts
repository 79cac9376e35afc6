import { describe, expect, it } from 'vitest';
import { migrations } from '../../src/storage/postgres/migrations.js';
import type { AppendResult, MessageRecord, MutationResult } from '../../src/storage/storage.js';
import { describePostgres, message, seedRoom, T0, until, useNodes, useTestSchema } from './postgres.support.js';

/**
 * PostgreSQL with several nodes (pools) on one database: start-up migrations under an advisory
 * lock, and writers racing on one room (the query plans are in postgres.plans.test.ts).
 * Everything runs in a schema of its own, dropped at the end.
 */

describePostgres('PostgreSQL', () => {
  const db = useTestSchema();

  describe('PostgreSQL concurrency and migrations', () => {
    const node = useNodes(db);

    it('migrates once when several nodes start at once (advisory lock), and not again on reopen', async () => {
      const bootSchema = `${db.schema}_boot`;
      try {
        const starting = await Promise.all(Array.from({ length: 4 }, () => db.open({ schema: bootSchema })));
        await starting[0]!.users.create({ id: 'u_a', username: 'alice', passwordHash: 'h', createdAt: '2026-01-01T00:00:00Z' });
        await Promise.all(starting.map((s) => s.close()));
        const again = await db.open({ schema: bootSchema });
        expect(await again.users.findById('u_a')).toEqual({ id: 'u_a', username: 'alice', displayName: '' });
        await again.close();
        const applied = await db.admin.query(`SELECT version, name FROM ${bootSchema}.schema_migrations ORDER BY version`);
        expect(applied.rows).toEqual(migrations.map(({ version, name }) => ({ version, name })));
      } finally {
        await db.admin.query(`DROP SCHEMA IF EXISTS ${bootSchema} CASCADE`);
      }
    });

    it('keeps seqs gapless and clientMsgIds unique with three nodes writing one room at once', async () => {
      const nodes = [await node(), await node(), await node()];
      const { users, roomId } = await seedRoom(nodes[0]!, 4);
      const twin = users[3]!; // sends each of its messages through two nodes at once
      const PER_NODE = 100;
      const DUPLICATES = 20;

      const own: Promise<{ message: MessageRecord; created: boolean }>[][] = [[], [], []];
      const twins: Promise<{ message: MessageRecord; created: boolean }>[][] = [];
      const started = Date.now();
      for (let i = 0; i < PER_NODE; i++) {
        nodes.forEach((n, k) => own[k]!.push(n.messages.append(message(roomId, users[k]!, `n${k}-${i}`))));
        if (i % 5 === 0) {
          const d = i / 5;
          twins.push([0, 1].map((k) => nodes[k]!.messages.append(message(roomId, twin, `dup-${d}`, { text: `dup ${d} via node ${k}` }))));
        }
      }
      const [ownResults, twinResults] = await Promise.all([
        Promise.all(own.map((list) => Promise.all(list))),
        Promise.all(twins.map((pair) => Promise.all(pair))),
      ]);
      const elapsed = Date.now() - started;
      const total = 3 * PER_NODE + DUPLICATES;

      // Each node's messages are numbered in the order that node sent them.
      for (const results of ownResults) {
        expect(results.every((r) => r.created)).toBe(true);
        const seqs = results.map((r) => r.message.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      }
      // Each twin stored once; the other node got the original back.
      for (const [a, b] of twinResults) {
        expect([a!.created, b!.created].sort()).toEqual([false, true]);
        const [winner, loser] = a!.created ? [a!, b!] : [b!, a!];
        expect(loser).toEqual({ message: winner.message, created: false });
      }

      // Every seq 1..total exactly once, read back in keyset pages through another node.
      const stored: MessageRecord[] = [];
      for (let after = 0; ;) {
        const page = await nodes[2]!.messages.history(roomId, { after, limit: 64 });
        if (page.length === 0) break;
        stored.push(...page);
        after = page.at(-1)!.seq;
      }
      expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect(new Set(stored.map((m) => m.clientMsgId)).size).toBe(total);
      const byClientMsgId = new Map(stored.map((m) => [`${m.author.id}/${m.clientMsgId}`, m]));
      for (const r of [...ownResults.flat(), ...twinResults.flat()]) {
        expect(byClientMsgId.get(`${r.message.author.id}/${r.message.clientMsgId}`)).toEqual(r.message);
      }
      expect((await nodes[1]!.rooms.findById(roomId))?.lastSeq).toBe(total);
      // Each author's read marker is at their last message.
      for (const u of users) {
        const last = Math.max(...stored.filter((m) => m.author.id === u.id).map((m) => m.seq));
        expect((await nodes[0]!.rooms.findMembership(roomId, u.id))?.lastReadSeq).toBe(last);
      }
      console.info(`three nodes stored ${total} messages in one room in ${elapsed} ms`);
    });

    it('numbers every change 1..N exactly once with three nodes sending, editing and reacting in one room at once', async () => {
      const nodes = [await node(), await node(), await node()];
      const { users, roomId } = await seedRoom(nodes[0]!, 3);
      const EMOJI = ['👍', '🎉', '🦄', '🚀'];
      const ROUNDS = 40;

      // Messages every node edits, reacts to and replies to, sent first.
      const setup: AppendResult[] = [];
      for (let i = 0; i < 4; i++) setup.push(await nodes[i % 3]!.messages.append(message(roomId, users[i % 3]!, `target${i}`)));
      const targets = setup.map((r) => r.message);

      type Outcome = AppendResult | MutationResult;
      const pending: Promise<Outcome>[] = [];
      const edits: Promise<MutationResult>[] = [];
      const started = Date.now();
      for (let i = 0; i < ROUNDS; i++) {
        nodes.forEach((n, k) => {
          const user = users[k]!;
          const target = targets[(i + k) % targets.length]!;
          const emoji = EMOJI[(i + k) % EMOJI.length]!;
          const ref = { roomId, messageId: target.id };
          switch (i % 5) {
            case 0:
              pending.push(n.messages.append(message(roomId, user, `n${k}-${i}`)));
              break;
            case 1:
              edits.push(n.messages.edit({ ...ref, text: `edit ${k}-${i}`, editedAt: T0 }));
              pending.push(edits.at(-1)!);
              break;
            case 2:
              pending.push(n.messages.setReaction({ ...ref, userId: user.id, emoji, on: true }));
              break;
            case 3:
              pending.push(n.messages.setReaction({ ...ref, userId: user.id, emoji: EMOJI[(i + k + 3) % EMOJI.length]!, on: false }));
              break;
            default:
              pending.push(n.messages.append(message(roomId, user, `reply${k}-${i}`, { threadRootId: targets[0]!.id })));
          }
        });
      }
      const outcomes = await Promise.all(pending);
      const elapsed = Date.now() - started;

      // Every stored change as its result told it: the message, and a root changed with it.
      const stored = [...setup, ...outcomes].flatMap((o): MessageRecord[] => {
        if ('created' in o) return o.created ? [o.message, ...(o.root ? [o.root] : [])] : [];
        return o.kind === 'changed' ? [o.message, ...(o.root ? [o.root] : [])] : [];
      });
      const revs = stored.map((m) => m.rev).sort((a, b) => a - b);
      const total = revs.length;
      expect(revs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect(outcomes.some((o) => !('created' in o) && o.kind === 'unchanged')).toBe(true);
      expect(await nodes[1]!.rooms.findById(roomId)).toMatchObject({ lastRev: total, lastSeq: targets.length + (ROUNDS / 5) * 2 * 3 });

      // The stream holds every message once, ascending by rev, each in the state its latest change gave it.
      const { messages: stream, lastRev, more } = await nodes[2]!.messages.changes(roomId, 0, 500);
      expect({ lastRev, more }).toEqual({ lastRev: total, more: false });
      expect(stream.map((m) => m.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: stream.length }, (_, i) => i + 1));
      expect(stream.map((m) => m.rev)).toEqual([...stream.map((m) => m.rev)].sort((a, b) => a - b));
      const latest = new Map<string, MessageRecord>();
      for (const m of stored) if ((latest.get(m.id)?.rev ?? 0) < m.rev) latest.set(m.id, m);
      expect(stream).toEqual([...latest.values()].sort((a, b) => a.rev - b.rev));
      expect(stream.find((m) => m.id === targets[0]!.id)?.thread?.replyCount).toBe((ROUNDS / 5) * 3);
      // Each edit kept the text before it: versions = edits + the first text.
      const edited = (await Promise.all(edits)).map((o) => (o.kind === 'changed' ? o.message.id : 'none'));
      for (const target of targets) {
        const editsOf = edited.filter((id) => id === target.id).length;
        expect(await nodes[0]!.messages.versions(roomId, target.id)).toHaveLength(editsOf + 1);
      }
      console.info(`three nodes stored ${total} changes in one room in ${elapsed} ms`);
    });

    it('loses no reaction when three nodes react to one message at once (each reads it after the room lock)', async () => {
      const nodes = [await node(), await node(), await node()];
      const { users, roomId } = await seedRoom(nodes[0]!, 3);
      const { message: target } = await nodes[0]!.messages.append(message(roomId, users[0]!, 'react to me'));
      const EMOJI = ['👍', '🎉', '🦄', '🚀', '👀', '🔥'];
      await Promise.all(
        nodes.flatMap((n, k) =>
          EMOJI.map((emoji) => n.messages.setReaction({ roomId, messageId: target.id, userId: users[k]!.id, emoji, on: true })),
        ),
      );
      const final = await nodes[1]!.messages.find(roomId, target.id);
      const pairs = final!.reactions.flatMap((r) => r.userIds.map((id) => `${r.emoji} ${id}`)).sort();
      expect(pairs).toEqual(EMOJI.flatMap((emoji) => users.map((u) => `${emoji} ${u.id}`)).sort());
      expect(final!.rev).toBe(1 + EMOJI.length * 3);
    });

    it('a clientMsgId raced on two nodes: the loser rolls back (seq included) and answers with the winner', async () => {
      const [a, b] = [await node(), await node()];
      const { users, roomId } = await seedRoom(a, 1);
      const author = users[0]!;
      await a.messages.append(message(roomId, author, 'first'));

      // Both nodes pass the look-up, then queue on the room's lock; once it is released, one
      // inserts and commits, the other's insert breaks the unique rule.
      const lock = await db.lockRoom(roomId);
      const racing = [a, b].map((n, k) => n.messages.append(message(roomId, author, 'raced', { text: `via ${k}` })));
      await lock.waiting(2);
      await lock.release();
      const [ra, rb] = await Promise.all(racing);
      expect([ra!.created, rb!.created].sort()).toEqual([false, true]);
      const winner = ra!.created ? ra! : rb!;
      expect(winner.message.seq).toBe(2);
      expect(ra!.message).toEqual(winner.message);
      expect(rb!.message).toEqual(winner.message);

      // The loser's seq came back: no gap.
      expect((await b.messages.append(message(roomId, author, 'third'))).message.seq).toBe(3);
      expect((await a.messages.history(roomId, { limit: 10 })).map((m) => [m.seq, m.clientMsgId])).toEqual([
        [1, 'first'],
        [2, 'raced'],
        [3, 'third'],
      ]);
      expect((await a.rooms.findById(roomId))?.lastSeq).toBe(3);
    });

    it('lets no join slip past a ban racing it from another node, and keeps the member count true', async () => {
      const [one, two] = [await node(), await node()];
      const { users, roomId } = await seedRoom(one, 1);
      const owner = users[0]!;
      const ROUNDS = 40;
      for (let i = 0; i < ROUNDS; i++) {
        await one.users.create({ id: `u_r${i}`, username: `racer${i}`, passwordHash: 'h', createdAt: T0 });
      }
      const outcomes = await Promise.all(
        Array.from({ length: ROUNDS }, (_, i) =>
          Promise.all([
            (i % 2 ? one : two).rooms.addMember(roomId, `u_r${i}`, T0),
            (i % 2 ? two : one).rooms.ban({ roomId, userId: `u_r${i}`, bannedBy: owner.id, createdAt: T0 }),
          ]),
        ),
      );
      for (let i = 0; i < ROUNDS; i++) {
        const [joined, wasMember] = outcomes[i]!;
        // Either the join came first (and the ban removed them) or the ban did (and the join was refused).
        expect([joined, wasMember], `racer ${i}`).toEqual(joined === 'added' ? ['added', true] : ['banned', false]);
        expect(await one.rooms.findMembership(roomId, `u_r${i}`)).toBeNull();
        expect(await one.rooms.isBanned(roomId, `u_r${i}`)).toBe(true);
      }
      expect((await one.rooms.findById(roomId))!.memberCount).toBe(1);
    });

    it('a clientMsgId with files raced on two nodes: the loser finds the files sent and answers with the winner', async () => {
      const [a, b] = [await node(), await node()];
      const { users, roomId } = await seedRoom(a, 1);
      const author = users[0]!;
      const file = { id: 'f_r', name: 'r.png', type: 'image/png', size: 1, width: 1, height: 1, hasThumbnail: false };
      await a.files.create(
        { ...file, roomId, uploaderId: author.id, messageId: null, createdAt: T0 },
        { day: '2026-01-01', maxBytesPerDay: 9 },
      );
      const lock = await db.lockRoom(roomId);
      const racing = [a, b].map((n) => n.messages.append(message(roomId, author, 'retried', { fileIds: ['f_r'] })));
      await lock.waiting(2);
      await lock.release();
      const [ra, rb] = await Promise.all(racing);
      expect([ra!.created, rb!.created].sort()).toEqual([false, true]);
      expect(ra!.message).toEqual(rb!.message);
      expect(ra!.message).toMatchObject({ seq: 1, files: [{ id: 'f_r' }] });
      expect((await b.messages.append(message(roomId, author, 'next'))).message.seq).toBe(2);
    });

    it("lets no two uploads on two nodes together pass a user's daily quota", async () => {
      const nodes = [await node(), await node(), await node()];
      const { users, roomId } = await seedRoom(nodes[0]!, 1);
      const quota = { day: '2026-01-01', maxBytesPerDay: 1_000 };
      const file = (i: number) => ({
        id: `f_q${i}`,
        name: `${i}.bin`,
        type: 'application/octet-stream',
        size: 90,
        width: null,
        height: null,
      });
      const uploads = Array.from({ length: 30 }, (_, i) =>
        nodes[i % 3]!.files.create(
          { ...file(i), roomId, uploaderId: users[0]!.id, messageId: null, createdAt: T0, hasThumbnail: false },
          quota,
        ),
      );
      const results = await Promise.all(uploads);
      expect(results.filter((r) => r === 'created')).toHaveLength(11); // 11 x 90 = 990 <= 1000 < 12 x 90
      expect(await nodes[1]!.files.usedOn(users[0]!.id, quota.day)).toBe(990);
      const { rows } = await db.admin.query<{ n: string }>('SELECT count(*) AS n FROM files');
      expect(Number(rows[0]!.n)).toBe(11);
    });

    it('sends a file once when two nodes send it with two messages at once', async () => {
      const [a, b] = [await node(), await node()];
      const { users, roomId } = await seedRoom(a, 1);
      const author = users[0]!;
      const record = { name: 'a.png', type: 'image/png', size: 1, width: 1, height: 1, roomId, uploaderId: author.id, messageId: null };
      for (let i = 0; i < 10; i++) {
        await a.files.create({ ...record, id: `f_c${i}`, createdAt: T0, hasThumbnail: false }, { day: '2026-01-01', maxBytesPerDay: 100 });
      }
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          [a, b].map((n, k) =>
            n.messages.append(message(roomId, author, `c${i}-${k}`, { fileIds: [`f_c${i}`] })).then(
              (r) => r.message.id,
              (error: unknown) => (error as { reason?: string }).reason ?? error,
            ),
          ),
        ).flat(),
      );
      for (let i = 0; i < 10; i++) {
        const pair = outcomes.slice(2 * i, 2 * i + 2);
        const sent = pair.filter((o) => o !== 'files-unavailable');
        expect(sent, `file ${i}`).toHaveLength(1);
        expect(pair).toContain('files-unavailable');
        expect((await a.files.find(`f_c${i}`))?.messageId).toBe(sent[0]);
      }
      // The refused sends gave their seqs back: 10 messages, seqs 1..10.
      expect((await a.messages.history(roomId, { limit: 50 })).map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    });

    it('batches writes to two rooms on two nodes at once without a deadlock: rooms locked in one order, seqs gapless, in call order', async () => {
      const [a, b] = [await node(), await node()];
      const { users, roomId: busy } = await seedRoom(a, 2);
      // 'r_also' sorts before 'r_busy': a batch locks it first, whatever order its writes came in.
      const also = (
        await a.rooms.create(
          { id: 'r_also', kind: 'public', name: 'also', ownerId: users[0]!.id, createdAt: T0 },
          users.map((u) => u.id),
        )
      ).id;
      const ROUNDS = 8;
      const PER_ROUND = 6;
      const rooms = [also, busy];
      const sent: Array<{ node: number; roomId: string; result: Promise<AppendResult> }> = [];
      // One turn of the event loop per node and round: node a writes r_also, r_busy, r_also, ...;
      // node b r_busy, r_also, ... Locked write by write, the two batches would each hold the
      // room the other needs next.
      const round = (r: number) =>
        [a, b].forEach((n, k) => {
          for (let i = 0; i < PER_ROUND; i++) {
            const roomId = rooms[(i + k) % 2]!;
            sent.push({ node: k, roomId, result: n.messages.append(message(roomId, users[k]!, `r${r}-n${k}-${i}`)) });
          }
        });

      // First round: both rooms held elsewhere until both nodes' batches wait, then freed at once.
      const holder = await db.admin.connect();
      try {
        await holder.query('BEGIN');
        await holder.query(`SELECT 1 FROM rooms WHERE id = ANY ($1) FOR UPDATE`, [rooms]);
        const pid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        round(0);
        await until(async () => (await db.blockedBy(pid)).length >= 2, 'both batches waiting on the rooms');
        await holder.query('COMMIT');
      } finally {
        holder.release();
      }
      for (let r = 1; r < ROUNDS; r++) {
        round(r);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const results = await Promise.all(sent.map((s) => s.result));
      expect(results.every((r) => r.created)).toBe(true);

      for (const roomId of rooms) {
        const total = sent.filter((s) => s.roomId === roomId).length;
        const history = await b.messages.history(roomId, { limit: 100 });
        expect(history.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        expect(history.map((m) => m.rev)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        // Each node's messages to a room carry seqs in the order it sent them.
        for (const k of [0, 1]) {
          const seqs = results.filter((_, i) => sent[i]!.node === k && sent[i]!.roomId === roomId).map((r) => r.message.seq);
          expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
        }
      }
    });

    it('undoes a failing write of a batch alone (its savepoint): the others commit, seqs and revs without a gap', async () => {
      const storage = await node();
      const { users, roomId } = await seedRoom(storage, 1);
      const author = users[0]!;
      const first = message(roomId, author, 'first');
      // One turn of the event loop: one batch.
      const outcomes = await Promise.allSettled([
        storage.messages.append(first),
        storage.messages.append(message(roomId, author, 'orphan', { threadRootId: 'm_missing' })),
        storage.messages.append(message(roomId, author, 'second')),
        storage.messages.append({ ...first, id: 'm_twin', text: 'again' }),
        storage.messages.setReaction({ roomId, messageId: first.id, userId: author.id, emoji: '👍', on: true }),
        storage.messages.edit({ roomId, messageId: 'm_unknown', text: 'x', editedAt: T0 }),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      const value = <T>(i: number) => (outcomes[i] as PromiseFulfilledResult<T>).value;
      expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ reason: 'not-found' });
      expect(value<AppendResult>(0).message.seq).toBe(1);
      expect(value<AppendResult>(2).message.seq).toBe(2);
      expect(value<AppendResult>(3)).toEqual({ created: false, message: value<AppendResult>(0).message });
      expect(value<MutationResult>(4)).toMatchObject({ kind: 'changed', message: { id: first.id, rev: 3 } });
      expect(value<MutationResult>(5)).toEqual({ kind: 'refused', reason: 'not-found' });
      const history = await storage.messages.history(roomId, { limit: 10 });
      expect(history.map((m) => [m.seq, m.rev, m.clientMsgId])).toEqual([
        [1, 3, 'first'],
        [2, 2, 'second'],
      ]);
      expect(await storage.rooms.findById(roomId)).toMatchObject({ lastSeq: 2, lastRev: 3 });
    });
  });
});
