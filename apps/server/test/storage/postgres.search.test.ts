import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { likeLiteral, SEARCH } from '../../src/storage/postgres/search.repository.js';
import type { Storage } from '../../src/storage/storage.js';
import { describePostgres, T0, useTestSchema } from './postgres.support.js';
import { MEMBER_ROOMS, OTHER, ROOMS, SEARCHER, searchAnswerTests, seedMessages } from './search.support.js';

/**
 * Search on PostgreSQL with 100,000 stored messages: the right answer, and a selective query
 * found through pg_trgm's GIN index (schema.ts, migration 3), in custom and generic plans.
 * Everything runs in a schema of its own, dropped at the end.
 */
const COUNT = 100_000;

describePostgres('PostgreSQL', () => {
  const db = useTestSchema();

  describe('PostgreSQL search over 100,000 messages', () => {
    const messages = seedMessages(COUNT);
    let storage: Storage;

    beforeAll(async () => {
      storage = await db.open();
      const client = await db.admin.connect();
      try {
        await client.query('BEGIN');
        await client.query(`INSERT INTO users (id, username, password_hash, created_at) SELECT u, u, 'h', $2 FROM unnest($1::text[]) u`, [
          [SEARCHER, OTHER],
          T0,
        ]);
        await client.query(
          `INSERT INTO rooms (id, kind, name, owner_id, created_at) SELECT r, 'public', 'room ' || r, $2, $3 FROM unnest($1::text[]) r`,
          [ROOMS, OTHER, T0],
        );
        const members = [...ROOMS.map((r) => [r, OTHER]), ...[...MEMBER_ROOMS].map((r) => [r, SEARCHER])];
        await client.query(
          `INSERT INTO memberships (room_id, user_id, joined_at) SELECT r, u, $3 FROM unnest($1::text[], $2::text[]) AS x (r, u)`,
          [members.map(([r]) => r), members.map(([, u]) => u), T0],
        );
        await client.query(
          `INSERT INTO messages (id, room_id, seq, rev, author_id, client_msg_id, text, created_at, deleted_at)
           SELECT id, room_id, seq, seq, $7, id, text, created_at, CASE WHEN deleted THEN created_at END
             FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::boolean[]) AS x (id, room_id, seq, text, created_at, deleted)`,
          [
            messages.map((m) => m.id),
            messages.map((m) => m.roomId),
            messages.map((m) => m.seq),
            messages.map((m) => m.text),
            messages.map((m) => m.createdAt),
            messages.map((m) => m.deleted),
            OTHER,
          ],
        );
        await client.query('COMMIT');
        await client.query('ANALYZE users, rooms, memberships, messages');
      } finally {
        client.release();
      }
    }, 120_000);
    afterAll(() => storage.close());

    searchAnswerTests(() => storage, messages);

    it('finds a selective query through the trigram GIN index: custom and generic plans', async () => {
      type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };
      const flatten = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(flatten)];
      const expectTrigramIndex = (plan: PlanNode, label: string) => {
        const nodes = flatten(plan);
        expect(
          nodes.some((n) => n['Relation Name'] === 'messages' && n['Node Type'] === 'Seq Scan'),
          label,
        ).toBe(false);
        expect(
          nodes.some((n) => n['Index Name'] === 'messages_text_trgm'),
          label,
        ).toBe(true);
      };
      const values = [SEARCHER, likeLiteral('number 777'), null, 20];
      const client = await db.admin.connect();
      try {
        const custom = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${SEARCH.newest.text}`, values);
        expectTrigramIndex(custom.rows[0]!['QUERY PLAN'][0].Plan, 'custom plan');
        await client.query(`PREPARE search_plan AS ${SEARCH.newest.text}`);
        await client.query('SET plan_cache_mode = force_generic_plan');
        const generic = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
          `EXPLAIN (FORMAT JSON) EXECUTE search_plan ('${SEARCHER}', 'number 777', NULL, 20)`,
        );
        expectTrigramIndex(generic.rows[0]!['QUERY PLAN'][0].Plan, 'generic plan');
      } finally {
        client.release(true);
      }
    });
  });
});
