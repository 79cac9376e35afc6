import { withoutFsync, type Db } from './db.js';

/** Rows indexed per transaction by the background catch-up: about 2 ms of work, so deliveries wait little. */
const BATCH_ROWS = 256;
/** How often the background catch-up looks for new messages. */
export const SEARCH_INDEX_INTERVAL_MS = 100;

/**
 * Fills SQLite's search index (migration 7, schema.search.ts) with the messages above
 * `search_indexed.up_to`, a batch per transaction: FTS5 writes one segment per transaction, so
 * a row indexed in a batch of 256 costs ~7 us against ~90 us alone. The transaction commits with
 * `synchronous = NORMAL`: the index and its `up_to` are lost together or kept together, and a
 * lost batch is indexed again. Nothing is acknowledged on it.
 */
export function createSearchIndexer(db: Db) {
  const upTo = db.prepare<[], number>('SELECT up_to FROM search_indexed').pluck();
  const last = db.prepare<[], number | null>('SELECT max(rowid) FROM messages').pluck();
  const index = db.prepare<[number, number]>(
    'INSERT INTO messages_fts (rowid, text) SELECT rowid, text FROM messages WHERE rowid > ? AND rowid <= ?',
  );
  const advance = db.prepare<[number]>('UPDATE search_indexed SET up_to = ?');
  const unsynced = withoutFsync(db);
  const indexUpTo = db.transaction((limit: number) => {
    const from = upTo.get() ?? 0;
    const to = Math.min(last.get() ?? 0, from + limit);
    if (to <= from) return false;
    index.run(from, to);
    advance.run(to);
    return true;
  });
  /** Whether messages wait to be indexed (two reads, no transaction). */
  const behind = () => (last.get() ?? 0) > (upTo.get() ?? 0);
  const run = (limit: number) => {
    if (!behind()) return false;
    return unsynced(() => indexUpTo.immediate(limit));
  };
  return {
    /** Indexes everything not indexed yet: before a search, so it finds what was just sent. */
    catchUp: () => void run(Number.MAX_SAFE_INTEGER),
    /** Indexes one batch; true when more may wait. */
    step: () => run(BATCH_ROWS),
  };
}

export type SearchIndexer = ReturnType<typeof createSearchIndexer>;

/**
 * Runs the indexer in the background: a batch every `intervalMs` (0: never), batches back to back
 * (one per event-loop turn) while more wait. A failure is left for the next tick (a search catches
 * up itself). Returns the function that stops it.
 */
export function runSearchIndexer(indexer: SearchIndexer, intervalMs: number): () => void {
  if (intervalMs <= 0) return () => undefined;
  let stopped = false;
  let pending: NodeJS.Immediate | undefined;
  const tick = () => {
    pending = undefined;
    if (stopped) return;
    let more: boolean;
    try {
      more = indexer.step();
    } catch {
      more = false; // left for the next tick; a search catches up itself
    }
    if (more) pending = setImmediate(tick);
  };
  const timer = setInterval(() => pending ?? tick(), SEARCH_INDEX_INTERVAL_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
    if (pending) clearImmediate(pending);
  };
}
