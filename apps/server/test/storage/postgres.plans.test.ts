import { describe, expect, it } from 'vitest';
import { CHANGES, HISTORY } from '../../src/storage/postgres/messages.repository.js';
import { MEMBERS } from '../../src/storage/postgres/room-moderation.js';
import { VIEW, VISIBLE } from '../../src/storage/postgres/rooms.repository.js';
import { describePostgres, T0, useNodes, useTestSchema } from './postgres.support.js';

/**
 * The query plans PostgreSQL gives history, change and room-list reads once rooms are big: every
 * scan of messages goes through the index of its scope, in custom and generic plans alike.
 * Everything runs in a schema of its own, dropped at the end.
 */

describePostgres('PostgreSQL', () => {
  const db = useTestSchema();

  describe('PostgreSQL query plans', () => {
    const node = useNodes(db);

    /**
     * A node on a database of public rooms 'r_plan_<n>' by 'u_p' (planner), each `perRoom` messages
     * long (rev = seq). In each room the second half are replies, spread over threads rooted in its
     * first 50 messages.
     */
    const nodeOnPlanRooms = async (rooms: number, perRoom: number) => {
      const storage = await node();
      await storage.users.create({ id: 'u_p', username: 'planner', passwordHash: 'h', createdAt: T0 });
      await db.admin.query(
        `INSERT INTO rooms (id, kind, name, owner_id, member_count, last_seq, last_rev, created_at)
         SELECT 'r_plan_' || r, 'public', 'plan', 'u_p', 0, $2, $2, $1 FROM generate_series(1, $3) r`,
        [T0, perRoom, rooms],
      );
      await db.admin.query(
        `INSERT INTO messages (id, room_id, seq, rev, author_id, client_msg_id, text, created_at, thread_root_id)
         SELECT 'm_' || r || '_' || s, 'r_plan_' || r, s, s, 'u_p', 'c' || s, repeat('x', 80), $1,
                CASE WHEN s > $2 / 2 THEN 'm_' || r || '_' || (s % least(50, $2 / 2) + 1) END
           FROM generate_series(1, $3) r, generate_series(1, $2) s ORDER BY r, s`,
        [T0, perRoom, rooms],
      );
      await db.admin.query('ANALYZE users, rooms, memberships, invitations, messages');
      return storage;
    };

    /** Every scan of messages in the plans (custom, then generic) of these statements goes through the index named. */
    const expectPlansIndexed = async (
      cases: ReadonlyArray<readonly [string, string, readonly (string | number)[], (string | string[])?]>,
    ) => {
      type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };
      const flatten = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(flatten)];
      // A bitmap heap scan reads the rows its bitmap index scans found: those must use the index too.
      const expectIndexed = (plan: PlanNode, label: string, index: string | string[]) => {
        const onMessages = flatten(plan).filter((n) => n['Relation Name'] === 'messages');
        expect(onMessages.length, label).toBeGreaterThan(0);
        for (const scan of onMessages) {
          expect(['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan'], label).toContain(scan['Node Type']);
          const indexScans = scan['Node Type'] === 'Bitmap Heap Scan' ? flatten(scan).slice(1) : [scan];
          expect(indexScans.length, label).toBeGreaterThan(0);
          for (const indexScan of indexScans) expect([index].flat(), label).toContain(indexScan['Index Name']);
        }
      };
      const client = await db.admin.connect();
      try {
        for (const [label, text, values, index = 'messages_room_seq'] of cases) {
          // The plan for these values (node-postgres' first executions of a prepared statement)...
          const custom = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${text}`, [...values]);
          expectIndexed(custom.rows[0]!['QUERY PLAN'][0].Plan, `${label}, custom plan`, index);
          // ...and the generic plan PostgreSQL may switch to after five of them.
          await client.query(`PREPARE plan_${label} AS ${text}`);
          await client.query('SET plan_cache_mode = force_generic_plan');
          const args = values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
          const generic = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
            `EXPLAIN (FORMAT JSON) EXECUTE plan_${label} (${args})`,
          );
          expectIndexed(generic.rows[0]!['QUERY PLAN'][0].Plan, `${label}, generic plan`, index);
          await client.query(`DEALLOCATE plan_${label}`);
          await client.query('RESET plan_cache_mode');
        }
      } finally {
        client.release(true);
      }
    };

    it('pages history through the index of its scope: custom and generic plans', async () => {
      // 20 rooms of 2,000 messages: one room is 5% of the table, one thread 0.05%.
      const storage = await nodeOnPlanRooms(20, 2000);
      expect((await storage.messages.history('r_plan_7', { before: 1000, limit: 50 })).map((m) => m.seq)).toEqual(
        Array.from({ length: 50 }, (_, i) => 950 + i),
      );
      // Replies are seqs 1001..2000, m_7_3's those with seq % 50 = 2.
      expect((await storage.messages.history('r_plan_7', { limit: 3, threadRootId: 'm_7_3' })).map((m) => m.seq)).toEqual([
        1852, 1902, 1952,
      ]);
      const [room, thread] = [['r_plan_7'], ['r_plan_7', 'm_7_3']];
      await expectPlansIndexed([
        ['newest', HISTORY.room.newest.text, [...room, 50]],
        ['before', HISTORY.room.before.text, [...room, 1000, 50]],
        ['after', HISTORY.room.after.text, [...room, 1000, 50]],
        ['top_newest', HISTORY.topLevel.newest.text, [...room, 50], 'messages_top_level_seq'],
        ['top_before', HISTORY.topLevel.before.text, [...room, 900, 50], 'messages_top_level_seq'],
        ['top_after', HISTORY.topLevel.after.text, [...room, 100, 50], 'messages_top_level_seq'],
        ['thread_newest', HISTORY.thread.newest.text, [...thread, 50], 'messages_thread_seq'],
        ['thread_before', HISTORY.thread.before.text, [...thread, 1500, 50], 'messages_thread_seq'],
        ['thread_after', HISTORY.thread.after.text, [...thread, 1500, 50], 'messages_thread_seq'],
      ]);
    });

    it('pages changes through the (room_id, rev) index, whatever the room size: custom and generic plans', async () => {
      const storage = await nodeOnPlanRooms(20, 2000);
      const page = await storage.messages.changes('r_plan_7', 1990, 5);
      expect(page.messages.map((m) => m.rev)).toEqual([1991, 1992, 1993, 1994, 1995]);
      expect(page).toMatchObject({ lastRev: 1995, more: true });
      await expectPlansIndexed([
        ['changes_start', CHANGES.text, ['r_plan_7', 0, 101], 'messages_room_rev'],
        ['changes_tail', CHANGES.text, ['r_plan_7', 1990, 101], 'messages_room_rev'],
      ]);
    });

    it("finds each listed room's newest message through the (room_id, seq) index, not by scanning messages", async () => {
      // Many short rooms: where a plain join on (room_id, seq = last_seq) is planned as a hash join over all messages.
      const storage = await nodeOnPlanRooms(2000, 20);
      const listed = await storage.rooms.listVisible('u_p');
      expect(listed).toHaveLength(2000);
      for (const room of listed) {
        expect(room.lastMessage).toEqual({
          text: 'x'.repeat(80),
          author: { id: 'u_p', username: 'planner', displayName: '' },
          createdAt: T0,
          files: 0,
        });
      }
      await expectPlansIndexed([
        // And each followed thread's root by its primary key (the threadsUnread badge).
        ['list', VISIBLE.text, ['u_p'], ['messages_room_seq', 'messages_pkey']],
        ['view', VIEW.text, ['u_p', 'r_plan_7'], ['messages_room_seq', 'messages_pkey']],
      ]);
    });

    it('pages room:members through the (room_id, username) index without a sort, in rooms of 10,000: custom and generic plans', async () => {
      const storage = await node();
      await db.admin.query(
        `INSERT INTO users (id, username, password_hash, created_at)
         SELECT 'u_m' || i, 'm' || lpad(i::text, 5, '0'), 'h', $1 FROM generate_series(1, 10000) i`,
        [T0],
      );
      await db.admin.query(
        `INSERT INTO rooms (id, kind, name, owner_id, member_count, last_seq, created_at)
         SELECT 'r_mem_' || r, 'public', 'big', 'u_m1', 10000, 0, $1 FROM generate_series(1, 10) r`,
        [T0],
      );
      await db.admin.query(
        `INSERT INTO memberships (room_id, user_id, last_read_seq, joined_at, username, role)
         SELECT 'r_mem_' || r, 'u_m' || i, 0, $1, 'm' || lpad(i::text, 5, '0'), 'member'
           FROM generate_series(1, 10) r, generate_series(1, 10000) i ORDER BY random()`,
        [T0],
      );
      await db.admin.query('ANALYZE users, rooms, memberships');
      const page = await storage.rooms.members('r_mem_3', { after: 'm05000', limit: 200 });
      expect(page.map((m) => m.user.username)).toEqual(Array.from({ length: 200 }, (_, i) => `m${String(5001 + i).padStart(5, '0')}`));

      type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };
      const flatten = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(flatten)];
      const expectServedByIndex = (plan: PlanNode, label: string) => {
        const nodes = flatten(plan);
        expect(
          nodes.map((n) => n['Node Type']),
          label,
        ).not.toContain('Sort');
        const scans = nodes.filter((n) => n['Relation Name'] === 'memberships');
        expect(
          scans.map((n) => [n['Node Type'], n['Index Name']]),
          label,
        ).toEqual([['Index Scan', 'memberships_room_username']]);
      };
      const client = await db.admin.connect();
      try {
        for (const [label, after] of [
          ['first', ''],
          ['middle', 'm05000'],
        ] as const) {
          const values = ['r_mem_3', after, 200];
          const custom = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${MEMBERS.text}`, values);
          expectServedByIndex(custom.rows[0]!['QUERY PLAN'][0].Plan, `${label}, custom plan`);
          await client.query(`PREPARE members_${label} AS ${MEMBERS.text}`);
          await client.query('SET plan_cache_mode = force_generic_plan');
          const generic = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
            `EXPLAIN (FORMAT JSON) EXECUTE members_${label} ('r_mem_3', '${after}', 200)`,
          );
          expectServedByIndex(generic.rows[0]!['QUERY PLAN'][0].Plan, `${label}, generic plan`);
          await client.query(`DEALLOCATE members_${label}`);
          await client.query('RESET plan_cache_mode');
        }
      } finally {
        client.release(true);
      }
    });
  });
});
