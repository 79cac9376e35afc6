import type { FileCreateResult, FileRecord, FileRepository } from '../files.js';
import { FILE_COLUMNS, toFileRecord, toFileRow, type FileRow } from '../file-rows.js';
import { run, type Db } from './db.js';

/** Unsent uploads created before ?, oldest first, at most ?: through the partial index files_unsent_created_at. */
export const SWEEP_UNSENT_SQL = `DELETE FROM files WHERE id IN (
   SELECT id FROM files WHERE message_id IS NULL AND created_at < ? ORDER BY created_at LIMIT ?)
 RETURNING id`;

/**
 * Uploads' rows and the per-user daily quota (migration 6). SQLite has one writer, so the quota's
 * conditional upsert and the file's row are one transaction nobody else writes between.
 */
export function createSqliteFileRepository(db: Db): FileRepository {
  // Adds the size to the day's bytes only while the total stays within the cap; no row: over quota.
  const charge = db.prepare<{ userId: string; day: string; size: number; max: number }, number>(
    `INSERT INTO upload_days (user_id, day, bytes) SELECT @userId, @day, @size WHERE @size <= @max
     ON CONFLICT (user_id, day) DO UPDATE SET bytes = bytes + excluded.bytes WHERE bytes + excluded.bytes <= @max
     RETURNING bytes`,
  );
  const insert = db.prepare<FileRow>(
    `INSERT INTO files (${FILE_COLUMNS})
     VALUES (@id, @room_id, @uploader_id, @name, @type, @size, @width, @height, @has_thumbnail, @created_at, @message_id)`,
  );
  const find = db.prepare<[string], FileRow>(`SELECT ${FILE_COLUMNS} FROM files WHERE id = ?`);
  const usedOn = db.prepare<[string, string], number>('SELECT bytes FROM upload_days WHERE user_id = ? AND day = ?').pluck();
  const sweep = db.prepare<[string, number], string>(SWEEP_UNSENT_SQL).pluck();
  const forgetDays = db.prepare<[string]>('DELETE FROM upload_days WHERE day < ?');

  const create = db.transaction((file: FileRecord, day: string, maxBytesPerDay: number): FileCreateResult => {
    if (charge.get({ userId: file.uploaderId, day, size: file.size, max: maxBytesPerDay }) === undefined) return 'over-quota';
    insert.run(toFileRow(file));
    return 'created';
  });
  const sweepUnsent = db.transaction((before: string, limit: number) => {
    const ids = sweep.all(before, limit);
    forgetDays.run(before.slice(0, 10));
    return ids;
  });

  return {
    create: (file, { day, maxBytesPerDay }) => run(() => create.immediate(file, day, maxBytesPerDay)),
    find: (id) =>
      run(() => {
        const row = find.get(id);
        return row ? toFileRecord(row) : null;
      }),
    usedOn: (userId, day) => run(() => usedOn.get(userId, day) ?? 0),
    sweepUnsent: (before, limit) => run(() => sweepUnsent.immediate(before, limit)),
  };
}
