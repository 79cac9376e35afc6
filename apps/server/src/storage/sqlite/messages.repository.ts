import { AUTHOR_COLUMNS, MESSAGE_COLUMNS, toMessage, type MessageRow } from '../rows.js';
import type { HistoryScope, MessageRepository } from '../storage.js';
import { run, toStorageError, withoutFsync, type Db } from './db.js';
import { createSqliteMessageWrites, FIND_SQL } from './message-writes.js';
import type { WalSync } from './wal-sync.js';

const SELECT = `SELECT ${MESSAGE_COLUMNS}, ${AUTHOR_COLUMNS} FROM messages m JOIN users u ON u.id = m.author_id`;

/**
 * Which messages a history page is taken from, each a keyset on (…, seq) through its index:
 * the whole room through messages_room_seq, top-level messages through the partial
 * messages_top_level_seq, one thread's replies through the partial messages_thread_seq (the
 * unary + keeps room_id, which every reply of the thread shares, from choosing another index).
 */
const SCOPES = {
  room: 'm.room_id = @roomId',
  topLevel: 'm.room_id = @roomId AND m.thread_root_id IS NULL',
  thread: 'm.thread_root_id = @threadRootId AND +m.room_id = @roomId',
} as const;

type HistoryParams = { roomId: string; threadRootId: string | null; seq: number; limit: number };

/** History pages per scope: newest, before @seq, after @seq. The inner query picks the page, the outer orders it. */
const pageSql = (where: string) => ({
  newest: `SELECT * FROM (${SELECT} WHERE ${where} ORDER BY m.seq DESC LIMIT @limit) ORDER BY seq`,
  before: `SELECT * FROM (${SELECT} WHERE ${where} AND m.seq < @seq ORDER BY m.seq DESC LIMIT @limit) ORDER BY seq`,
  after: `${SELECT} WHERE ${where} AND m.seq > @seq ORDER BY m.seq LIMIT @limit`,
});
/** Exported for the query plan test (test/storage/sqlite.test.ts). */
export const HISTORY_SQL = { room: pageSql(SCOPES.room), topLevel: pageSql(SCOPES.topLevel), thread: pageSql(SCOPES.thread) };
/** A keyset page on the (room_id, rev) unique index. */
export const CHANGES_SQL = `${SELECT} WHERE m.room_id = ? AND m.rev > ? ORDER BY m.rev LIMIT ?`;

export function createSqliteMessageRepository(db: Db, wal: WalSync): MessageRepository {
  const writes = createSqliteMessageWrites(db);
  const find = db.prepare<[string, string], MessageRow>(FIND_SQL);
  const pagesOf = (sql: ReturnType<typeof pageSql>) => ({
    newest: db.prepare<HistoryParams, MessageRow>(sql.newest),
    before: db.prepare<HistoryParams, MessageRow>(sql.before),
    after: db.prepare<HistoryParams, MessageRow>(sql.after),
  });
  const pages = { room: pagesOf(HISTORY_SQL.room), topLevel: pagesOf(HISTORY_SQL.topLevel), thread: pagesOf(HISTORY_SQL.thread) };

  // A page of changes and the room's last rev, in one read transaction (one snapshot).
  const changesPage = db.prepare<[string, number, number], MessageRow>(CHANGES_SQL);
  const roomLastRev = db.prepare<[string], number>('SELECT last_rev FROM rooms WHERE id = ?').pluck();
  const changes = db.transaction((roomId: string, afterRev: number, limit: number) => {
    const rows = changesPage.all(roomId, afterRev, limit + 1);
    const more = rows.length > limit;
    const messages = rows.slice(0, limit).map(toMessage);
    return { messages, more, lastRev: more ? messages.at(-1)!.rev : (roomLastRev.get(roomId) ?? 0) };
  });

  // Earlier texts by n, then the current one; nothing for a deleted message or one of another room.
  const versions = db.prepare<[string, string, string, string], { text: string; edited_at: string }>(
    `SELECT v.text, v.set_at AS edited_at, v.n
       FROM messages m JOIN message_versions v ON v.message_id = m.id
      WHERE m.id = ? AND m.room_id = ? AND m.deleted_at IS NULL
     UNION ALL
     SELECT m.text, COALESCE(m.edited_at, m.created_at), NULL
       FROM messages m WHERE m.id = ? AND m.room_id = ? AND m.deleted_at IS NULL
     ORDER BY n NULLS LAST`,
  );

  // Forward only, clamped to the room's last seq; only for a top-level message of the room.
  const markThreadRead = db
    .prepare<{ roomId: string; threadRootId: string; userId: string; seq: number }, number>(
      `INSERT INTO thread_reads (room_id, thread_root_id, user_id, last_read_seq)
     SELECT m.room_id, m.id, @userId, MIN(@seq, r.last_seq) FROM messages m JOIN rooms r ON r.id = m.room_id
      WHERE m.id = @threadRootId AND m.room_id = @roomId AND m.thread_root_id IS NULL
     ON CONFLICT (thread_root_id, user_id) DO UPDATE SET last_read_seq = MAX(last_read_seq, excluded.last_read_seq)
     RETURNING last_read_seq`,
    )
    .pluck();

  // Group commit: writes that arrive in the same event-loop turn share one transaction, and one
  // failing write does not undo the others (below). The batch commits without an fsync (synchronous = NORMAL for its COMMIT only) and
  // its answers wait for WalSync's fsync, on the thread pool: the event loop goes on delivering
  // meanwhile, and writes that arrive while one fsync runs are committed together once it returns
  // (ADR 0009). Nothing resolves before its commit is durable.
  type Pending = { write: () => unknown; resolve: (value: never) => void; reject: (e: unknown) => void };
  let queue: Pending[] = [];
  // Nearly every batch has no failing write, so it runs without a savepoint per write (two
  // statements each); a write that throws rolls the whole batch back, and it runs again with a
  // savepoint per write (a nested better-sqlite3 transaction), each failure kept to itself.
  const commitPlain = db.transaction((batch: Pending[]) => batch.map((p) => ({ ok: true as const, value: p.write() })));
  const inSavepoint = db.transaction((write: () => unknown) => write());
  const commitBatch = db.transaction((batch: Pending[]) =>
    batch.map((p) => {
      try {
        return { ok: true as const, value: inSavepoint(p.write) };
      } catch (error) {
        return { ok: false as const, error };
      }
    }),
  );
  const unsynced = withoutFsync(db);
  const commitWithoutFsync = (batch: Pending[]) =>
    unsynced(() => {
      try {
        return commitPlain.immediate(batch);
      } catch {
        return commitBatch.immediate(batch);
      }
    });
  // A batch that would commit while an fsync runs waits for it: its own fsync could not start
  // before that one returns anyway, and meanwhile more writes join it (one commit, not several).
  let waitingForSync = false;
  const flush = () => {
    if (wal.syncing) {
      if (!waitingForSync) {
        waitingForSync = true;
        wal.afterSync(() => {
          waitingForSync = false;
          flush();
        });
      }
      return;
    }
    const batch = queue;
    queue = [];
    run(() => commitWithoutFsync(batch)).then(
      (outcomes) =>
        wal.durable(wal.commit()).then(
          () =>
            outcomes.forEach((outcome, i) => {
              if (outcome.ok) batch[i]!.resolve(outcome.value as never);
              else batch[i]!.reject(toStorageError(outcome.error));
            }),
          (error) => batch.forEach((p) => p.reject(error)),
        ),
      (error) => batch.forEach((p) => p.reject(error)),
    );
  };
  const enqueue = <T>(write: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (queue.length === 0 && !waitingForSync) setImmediate(flush);
      queue.push({ write, resolve: resolve as (value: never) => void, reject });
    });

  const history = (roomId: string, query: HistoryScope) => {
    const scope = query.threadRootId !== undefined ? pages.thread : query.topLevel ? pages.topLevel : pages.room;
    const params = { roomId, threadRootId: query.threadRootId ?? null, limit: query.limit };
    const rows =
      query.after !== undefined
        ? scope.after.all({ ...params, seq: query.after })
        : query.before !== undefined
          ? scope.before.all({ ...params, seq: query.before })
          : scope.newest.all({ ...params, seq: 0 });
    return rows.map(toMessage);
  };

  return {
    append: (message) => enqueue(() => writes.append(message)),
    edit: (edit) => enqueue(() => writes.edit(edit)),
    delete: (target) => enqueue(() => writes.delete(target)),
    setReaction: (reaction) => enqueue(() => writes.setReaction(reaction)),
    find: (roomId, messageId) =>
      run(() => {
        const row = find.get(messageId, roomId);
        return row ? toMessage(row) : null;
      }),
    versions: (roomId, messageId) =>
      run(() => versions.all(messageId, roomId, messageId, roomId).map((v) => ({ text: v.text, editedAt: v.edited_at }))),
    changes: (roomId, afterRev, limit) => run(() => changes(roomId, afterRev, limit)),
    history: (roomId, query) => run(() => history(roomId, query)),
    markThreadRead: (roomId, threadRootId, userId, seq) => run(() => markThreadRead.get({ roomId, threadRootId, userId, seq }) ?? 0),
  };
}
