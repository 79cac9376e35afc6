import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../../src/storage/errors.js';
import { createPostgresStorage, type PostgresStorageOptions } from '../../src/storage/postgres/index.js';
import { HISTORY } from '../../src/storage/postgres/messages.repository.js';
import { migrations } from '../../src/storage/postgres/migrations.js';
import type { MessageRecord, NewMessage, Storage } from '../../src/storage/storage.js';
import { testDatabaseUrl } from '../support/postgres.js';
import { describeStorageContract } from './storage.contract.js';

/**
 * The shared repository suite against PostgreSQL, plus what only PostgreSQL has: several nodes
 * (pools) on one database, start-up migrations under an advisory lock, query plans, and errors
 * of a server that times out or drops connections. Everything runs in a schema of its own,
 * dropped at the end.
 */

const databaseUrl = await testDatabaseUrl();
const schema = `parley_test_${randomBytes(6).toString('hex')}`;
const T0 = '2026-01-01T00:00:00.000Z';
const TABLES = 'messages, invitations, memberships, sessions, rooms, users';

let admin: pg.Pool;
const open = (options: Partial<PostgresStorageOptions> = {}) =>
  createPostgresStorage({ connectionString: databaseUrl!, schema, ...options });

/** Backends waiting, directly or through another waiter, on a lock held by pid. */
const blockedBy = async (pid: number): Promise<number[]> =>
  (
    await admin.query<{ pid: number }>(
      `WITH RECURSIVE blocked (pid) AS (
         SELECT pid FROM pg_stat_activity WHERE $1::int = ANY (pg_blocking_pids(pid))
         UNION
         SELECT a.pid FROM pg_stat_activity a JOIN blocked b ON b.pid = ANY (pg_blocking_pids(a.pid))
       ) SELECT pid FROM blocked`,
      [pid],
    )
  ).rows.map((r) => r.pid);

const until = async (condition: () => Promise<boolean>, what: string, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** Holds the room's row lock (as a writer on another node would) until release(). */
const lockRoom = async (roomId: string) => {
  const client = await admin.connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE', [roomId]);
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  return {
    pid,
    waiting: (n: number) => until(async () => (await blockedBy(pid)).length >= n, `${n} backend(s) blocked on the room`),
    release: async () => {
      await client.query('COMMIT');
      client.release();
    },
  };
};

const noSqlIn = (error: unknown) => {
  expect(error).toBeInstanceOf(StorageUnavailableError);
  expect((error as Error).message).not.toMatch(/SELECT|UPDATE|INSERT|DELETE|rooms|messages|\$1/);
};

(databaseUrl ? describe : describe.skip)('PostgreSQL', () => {
  beforeAll(async () => {
    admin = new pg.Pool({ connectionString: databaseUrl, options: `-c search_path=${schema}`, max: 4 });
    admin.on('error', () => undefined);
    await admin.query(`CREATE SCHEMA ${schema}`);
  });
  afterAll(async () => {
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  describeStorageContract('PostgreSQL', {
    async open() {
      const storage = await open();
      await admin.query(`TRUNCATE ${TABLES}`);
      return storage;
    },
    dispose: (storage) => storage.close(),
  });

  describe('PostgreSQL specifics', () => {
    const storages: Storage[] = [];
    const node = async (options: Partial<PostgresStorageOptions> = {}) => {
      const storage = await open(options);
      storages.push(storage);
      return storage;
    };
    beforeEach(async () => {
      await admin.query(`TRUNCATE ${TABLES}`);
      return async () => {
        await Promise.all(storages.splice(0).map((s) => s.close()));
      };
    });

    const message = (roomId: string, author: { id: string; username: string }, clientMsgId: string, extra: Partial<NewMessage> = {}): NewMessage => ({
      id: `m_${randomBytes(6).toString('hex')}`,
      roomId,
      author,
      clientMsgId,
      text: `text ${clientMsgId}`,
      createdAt: T0,
      ...extra,
    });
    const seedRoom = async (storage: Storage, authors: number) => {
      const users = Array.from({ length: authors }, (_, i) => ({ id: `u_w${i}`, username: `writer${i}` }));
      for (const u of users) await storage.users.create({ ...u, passwordHash: 'h', createdAt: T0 });
      const room = await storage.rooms.create({ id: 'r_busy', kind: 'public', name: 'busy', ownerId: users[0]!.id, createdAt: T0 }, users.map((u) => u.id));
      return { users, roomId: room.id };
    };

    it('migrates once when several nodes start at once (advisory lock), and not again on reopen', async () => {
      const bootSchema = `${schema}_boot`;
      try {
        const starting = await Promise.all(Array.from({ length: 4 }, () => open({ schema: bootSchema })));
        await starting[0]!.users.create({ id: 'u_a', username: 'alice', passwordHash: 'h', createdAt: '2026-01-01T00:00:00Z' });
        await Promise.all(starting.map((s) => s.close()));
        const again = await open({ schema: bootSchema });
        expect(await again.users.findById('u_a')).toEqual({ id: 'u_a', username: 'alice' });
        await again.close();
        const applied = await admin.query(`SELECT version, name FROM ${bootSchema}.schema_migrations ORDER BY version`);
        expect(applied.rows).toEqual(migrations.map(({ version, name }) => ({ version, name })));
      } finally {
        await admin.query(`DROP SCHEMA IF EXISTS ${bootSchema} CASCADE`);
      }
    });

    it('returns numbers for BIGINT columns and text exactly as written', async () => {
      const storage = await node();
      const createdAt = '2026-01-01T00:00:00Z'; // not normalised to .000Z
      await storage.users.create({ id: 'u_t', username: 'typed', passwordHash: 'h', createdAt });
      expect((await storage.users.findByUsername('typed'))?.createdAt).toBe(createdAt);
      const expiresAt = 4_102_444_800_123; // past 2^32, and past 2100
      await storage.sessions.create({ id: 's_t', userId: 'u_t', createdAt, expiresAt });
      const found = await storage.sessions.findActive('s_t', expiresAt - 1);
      expect(found?.session).toEqual({ id: 's_t', userId: 'u_t', createdAt, expiresAt });
      const room = await storage.rooms.create({ id: 'r_t', kind: 'public', name: 'ünïcode 😀', ownerId: 'u_t', createdAt }, ['u_t']);
      expect(room).toEqual({ id: 'r_t', kind: 'public', name: 'ünïcode 😀', ownerId: 'u_t', memberCount: 1, lastSeq: 0, createdAt });
      const text = '\r\n \u200b\u{10ffff} ﷽ 𝕏 \\ \' " %_ $1';
      const { message: sent } = await storage.messages.append(message('r_t', { id: 'u_t', username: 'typed' }, 'x', { text, createdAt }));
      expect(sent.seq).toBe(1);
      expect(await storage.messages.history('r_t', { limit: 5 })).toEqual([sent]);
      expect(await storage.rooms.markRead('r_t', 'u_t', Number.MAX_SAFE_INTEGER)).toBe(1);
      expect(await storage.rooms.listVisible('u_t')).toEqual([{ ...room, lastSeq: 1, joined: true, lastReadSeq: 1 }]);
    });

    it('answers lookups by keys holding NUL (which text cannot store) with nothing found', async () => {
      const storage = await node();
      expect(await storage.users.findByUsername('ali\u0000ce')).toBeNull();
      expect(await storage.users.searchByPrefix('\u0000', 10)).toEqual([]);
      expect(await storage.sessions.findActive('s\u0000', 0)).toBeNull();
      expect(await storage.sessions.delete('s\u0000')).toBe(false);
      expect(await storage.rooms.findById('r\u0000')).toBeNull();
      expect(await storage.messages.history('r\u0000', { limit: 5 })).toEqual([]);
    });

    it('pages history through the (room_id, seq) index: custom and generic plans', async () => {
      const storage = await node();
      await storage.users.create({ id: 'u_p', username: 'planner', passwordHash: 'h', createdAt: T0 });
      // 20 rooms of 2,000 messages: one room is 5% of the table.
      await admin.query(
        `INSERT INTO rooms (id, kind, name, owner_id, member_count, last_seq, created_at)
         SELECT 'r_plan_' || r, 'public', 'plan', 'u_p', 0, 2000, $1 FROM generate_series(1, 20) r`,
        [T0],
      );
      await admin.query(
        `INSERT INTO messages (id, room_id, seq, author_id, client_msg_id, text, created_at)
         SELECT 'm_' || r || '_' || s, 'r_plan_' || r, s, 'u_p', 'c' || s, repeat('x', 80), $1
           FROM generate_series(1, 20) r, generate_series(1, 2000) s`,
        [T0],
      );
      await admin.query('ANALYZE users, rooms, messages');
      expect((await storage.messages.history('r_plan_7', { before: 1000, limit: 50 })).map((m) => m.seq)).toEqual(
        Array.from({ length: 50 }, (_, i) => 950 + i),
      );

      type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };
      const flatten = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(flatten)];
      const expectIndexed = (plan: PlanNode, label: string) => {
        const onMessages = flatten(plan).filter((n) => n['Relation Name'] === 'messages');
        expect(onMessages.length, label).toBeGreaterThan(0);
        for (const scan of onMessages) {
          expect(['Index Scan', 'Index Only Scan'], label).toContain(scan['Node Type']);
          expect(scan['Index Name'], label).toBe('messages_room_seq');
        }
      };
      const cases = [
        ['newest', HISTORY.newest.text, ['r_plan_7', 50]],
        ['before', HISTORY.before.text, ['r_plan_7', 1000, 50]],
        ['after', HISTORY.after.text, ['r_plan_7', 1000, 50]],
      ] as const;
      const client = await admin.connect();
      try {
        for (const [label, text, values] of cases) {
          // The plan for these values (node-postgres' first executions of a prepared statement)...
          const custom = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${text}`, [...values]);
          expectIndexed(custom.rows[0]!['QUERY PLAN'][0].Plan, `${label}, custom plan`);
          // ...and the generic plan PostgreSQL may switch to after five of them.
          await client.query(`PREPARE plan_${label} AS ${text}`);
          await client.query('SET plan_cache_mode = force_generic_plan');
          const args = values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
          const generic = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) EXECUTE plan_${label} (${args})`);
          expectIndexed(generic.rows[0]!['QUERY PLAN'][0].Plan, `${label}, generic plan`);
          await client.query(`DEALLOCATE plan_${label}`);
          await client.query('RESET plan_cache_mode');
        }
      } finally {
        client.release(true);
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
      for (let after = 0; ; ) {
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

    it('a clientMsgId raced on two nodes: the loser rolls back (seq included) and answers with the winner', async () => {
      const [a, b] = [await node(), await node()];
      const { users, roomId } = await seedRoom(a, 1);
      const author = users[0]!;
      await a.messages.append(message(roomId, author, 'first'));

      // Both nodes pass the look-up, then queue on the room's lock; once it is released, one
      // inserts and commits, the other's insert breaks the unique rule.
      const lock = await lockRoom(roomId);
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

    it('reports an unreachable server as StorageUnavailableError', async () => {
      const error = await createPostgresStorage({ connectionString: 'postgres://postgres@127.0.0.1:1/test', connectionTimeoutMs: 1_000 }).catch((e: unknown) => e);
      noSqlIn(error);
    });

    it('reports a statement timeout as StorageUnavailableError, and stores nothing', async () => {
      const storage = await node({ statementTimeoutMs: 300 });
      const { users, roomId } = await seedRoom(storage, 1);
      const lock = await lockRoom(roomId);
      const error = await storage.messages.append(message(roomId, users[0]!, 'slow')).catch((e: unknown) => e);
      await lock.release();
      noSqlIn(error);
      expect((error as Error).message).toMatch(/timed out/);
      expect((await storage.rooms.findById(roomId))?.lastSeq).toBe(0);
      expect((await storage.messages.append(message(roomId, users[0]!, 'slow'))).message.seq).toBe(1);
    });

    it('reports a terminated connection as StorageUnavailableError, and recovers with a new one', async () => {
      const errors: Error[] = [];
      const applicationName = `parley_${randomBytes(4).toString('hex')}`;
      const storage = await node({ applicationName, onError: (e) => errors.push(e) });
      const { users, roomId } = await seedRoom(storage, 1);

      // Mid-transaction: the append waits on the room's lock when its backend is terminated.
      const lock = await lockRoom(roomId);
      const pending = storage.messages.append(message(roomId, users[0]!, 'doomed')).catch((e: unknown) => e);
      await lock.waiting(1);
      await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [await blockedBy(lock.pid)]);
      const error = await pending;
      await lock.release();
      noSqlIn(error);
      expect((error as Error).message).toMatch(/connection was lost/);

      // Idle pooled connections terminated: the pool drops them and reports them to onError.
      const terminated = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
      await until(async () => errors.length >= (terminated.rowCount ?? 0), 'the pool to notice');
      await storage.ping();
      expect((await storage.messages.append(message(roomId, users[0]!, 'doomed'))).message.seq).toBe(1);
    });
  });
});
