import type { FileCreateResult, FileRepository } from '../files.js';
import { FILE_COLUMNS, toFileRecord, toFileRow, type FileRow } from '../file-rows.js';
import { hasNul, statement, type Db } from './db.js';

// Adds the size to the day's bytes only while the total stays within the cap; no row: over quota.
// Two uploads of one user at once queue on the day's row (the insert's conflict, or its row lock),
// and the second re-checks the cap against the first's committed total.
const CHARGE = statement(
  'files.charge',
  `INSERT INTO upload_days (user_id, day, bytes) SELECT $1, $2, $3::bigint WHERE $3::bigint <= $4::bigint
   ON CONFLICT (user_id, day) DO UPDATE SET bytes = upload_days.bytes + EXCLUDED.bytes
    WHERE upload_days.bytes + EXCLUDED.bytes <= $4::bigint
   RETURNING bytes`,
);
const INSERT = statement('files.insert', `INSERT INTO files (${FILE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`);
const FIND = statement('files.find', `SELECT ${FILE_COLUMNS} FROM files WHERE id = $1`);
const USED_ON = statement('files.usedOn', 'SELECT bytes FROM upload_days WHERE user_id = $1 AND day = $2');
// Through the partial index files_unsent_created_at; a file being claimed by a send right now is
// locked by it (append's FOR UPDATE) and skipped.
export const SWEEP = statement(
  'files.sweepUnsent',
  `DELETE FROM files WHERE id IN (
     SELECT id FROM files WHERE message_id IS NULL AND created_at < $1 ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
   RETURNING id`,
);
const FORGET_DAYS = statement('files.forgetDays', 'DELETE FROM upload_days WHERE day < $1');

/** Uploads' rows and the per-user daily quota (migration 6), each write one transaction. */
export function createPostgresFileRepository(db: Db): FileRepository {
  return {
    create: (file, { day, maxBytesPerDay }) =>
      db.transaction(async (tx): Promise<FileCreateResult> => {
        const charged = await tx.query(CHARGE, [file.uploaderId, day, file.size, maxBytesPerDay]);
        if (charged.rows.length === 0) return 'over-quota';
        const row = toFileRow(file);
        await tx.query(INSERT, [
          row.id,
          row.room_id,
          row.uploader_id,
          row.name,
          row.type,
          row.size,
          row.width,
          row.height,
          row.has_thumbnail,
          row.created_at,
          row.message_id,
        ]);
        return 'created';
      }),

    find: async (id) => {
      if (hasNul(id)) return null;
      const row = (await db.query<FileRow>(FIND, [id])).rows[0];
      return row ? toFileRecord(row) : null;
    },

    usedOn: async (userId, day) => {
      if (hasNul(userId, day)) return 0;
      const row = (await db.query<{ bytes: string }>(USED_ON, [userId, day])).rows[0];
      return row ? Number(row.bytes) : 0;
    },

    sweepUnsent: (before, limit) =>
      db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string }>(SWEEP, [before, limit]);
        await tx.query(FORGET_DAYS, [before.slice(0, 10)]);
        return rows.map((r) => r.id);
      }),
  };
}
