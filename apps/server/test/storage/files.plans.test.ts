import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SWEEP } from '../../src/storage/postgres/files.repository.js';
import { TOMBSTONE } from '../../src/storage/postgres/message-writes.js';
import { SWEEP_UNSENT_SQL } from '../../src/storage/sqlite/files.repository.js';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import { REMOVE_FILES_SQL } from '../../src/storage/sqlite/message-files.js';
import { describePostgres, T0, useNodes, useTestSchema } from './postgres.support.js';

/**
 * The plans of the file statements that run on large tables (migration 6): the sweep of unsent
 * uploads reads only them, by age, and a message's delete finds its files by message, each through
 * its partial index.
 */

describe('SQLite file plans', () => {
  it('sweeps unsent uploads by age and finds a message’s files through their partial indexes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sqlite-'));
    try {
      await createSqliteStorage(dir).close();
      const db = new Database(path.join(dir, 'parley.db'), { readonly: true });
      try {
        const plan = (sql: string, ...params: unknown[]) =>
          db
            .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
            .all(...params)
            .map((r) => r.detail);
        const sweep = plan(SWEEP_UNSENT_SQL, T0, 100);
        expect(sweep).toContain('SEARCH files USING INDEX files_unsent_created_at (created_at<?)');
        expect(sweep.filter((detail) => /SCAN|TEMP B-TREE/.test(detail))).toEqual([]);
        expect(plan(REMOVE_FILES_SQL, 'm_1')).toEqual(['SEARCH files USING COVERING INDEX files_message_id (message_id=?)']);
      } finally {
        db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describePostgres('PostgreSQL', () => {
  const db = useTestSchema();

  describe('PostgreSQL file plans', () => {
    const node = useNodes(db);

    type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };
    const flatten = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(flatten)];
    /** The scans of `files` (and of its indexes) in the custom and the generic plan of a statement. */
    const indexesOnFiles = async (text: string, values: readonly (string | number)[]) => {
      const client = await db.admin.connect();
      try {
        await client.query('BEGIN');
        const scans: string[][] = [];
        for (const mode of ['force_custom_plan', 'force_generic_plan']) {
          await client.query(`SET LOCAL plan_cache_mode = ${mode}`);
          await client.query(`PREPARE files_plan AS ${text}`);
          const args = values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
          const explained = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
            `EXPLAIN (FORMAT JSON) EXECUTE files_plan (${args})`,
          );
          const onFiles = flatten(explained.rows[0]!['QUERY PLAN'][0].Plan).filter(
            (n) => (n['Relation Name'] === 'files' || n['Index Name']?.startsWith('files_')) && n['Node Type'] !== 'ModifyTable',
          );
          scans.push(onFiles.map((n) => `${n['Node Type']} ${n['Index Name'] ?? ''}`.trim()));
          await client.query('DEALLOCATE files_plan');
        }
        return scans;
      } finally {
        await client.query('ROLLBACK');
        client.release(true);
      }
    };

    it('sweeps unsent uploads by age and deletes a message’s files through their partial indexes', async () => {
      await node();
      await db.admin.query(`INSERT INTO users (id, username, password_hash, created_at) VALUES ('u_p', 'planner', 'h', $1)`, [T0]);
      await db.admin.query(`INSERT INTO rooms (id, kind, name, owner_id, created_at) VALUES ('r_p', 'public', 'p', 'u_p', $1)`, [T0]);
      await db.admin.query(
        `INSERT INTO messages (id, room_id, seq, rev, author_id, client_msg_id, text, created_at)
         SELECT 'm_' || s, 'r_p', s, s, 'u_p', 'c' || s, 'x', $1 FROM generate_series(1, 5000) s`,
        [T0],
      );
      // 40,000 files, 2% of them unsent; the sent ones 8 to a message.
      await db.admin.query(
        `INSERT INTO files (id, room_id, uploader_id, name, type, size, has_thumbnail, created_at, message_id, position)
         SELECT 'f_' || i, 'r_p', 'u_p', 'f', 'image/png', 1, 0, to_char(timestamp '2026-01-01' + i * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                CASE WHEN i % 50 = 0 THEN NULL ELSE 'm_' || (i % 5000 + 1) END, 0
           FROM generate_series(1, 40000) i`,
      );
      await db.admin.query('ANALYZE files, messages');
      const sweep = await indexesOnFiles(SWEEP.text, ['2026-01-01T01:00:00.000Z', 100]);
      // The unsent rows by age from their index, then each row to delete by its key.
      for (const scans of sweep) expect(scans).toEqual(['Index Scan files_unsent_created_at', 'Index Scan files_pkey']);
      const tombstone = await indexesOnFiles(TOMBSTONE.text, ['r_p', 99, 'm_7', T0]);
      for (const scans of tombstone) {
        expect(scans.filter((scan) => scan.includes('Index Scan'))).toEqual([expect.stringMatching(/Index Scan files_message_id$/)]);
        expect(scans.filter((scan) => scan.startsWith('Seq Scan'))).toEqual([]);
      }
    });
  });
});
