import fs from 'node:fs';
import { StorageUnavailableError } from '../errors.js';

/** Flushes one file's data to disk, calling back once it is (or with why not). */
export type Datasync = (fd: number, done: (error?: unknown) => void) => void;

/**
 * Group commit's fsync, off the event loop (issue 18, ADR 0009). The write queue commits with
 * `synchronous = NORMAL` (the WAL frames reach the OS, no fsync) and then asks here for the frames
 * to be made durable: one `fdatasync` of the WAL file on libuv's thread pool covers every commit
 * made before it started, so commits arriving while one runs share the next. With
 * `synchronous = FULL` SQLite does exactly this sync inside COMMIT, holding the event loop
 * for it (0.2-0.4 ms here); everything else FULL does (the WAL synced before a checkpoint,
 * the database after it, the WAL header when the file is reused) NORMAL does too.
 *
 * Commits are counted; `durable(mark)` resolves once the commits up to `mark` are on disk. Storage
 * answers wait for the commits made before they read (`settle`), so no client sees a message,
 * seq or rev that a crash could still take back.
 */
export class WalSync {
  private fd: number | undefined;
  /** Commits made (without their own fsync), and commits known to be on disk. */
  private committed = 0;
  private synced = 0;
  private running = false;
  /** A failed fsync: the kernel may have dropped the pages, so nothing later can be promised either. */
  private failed: unknown;
  private idle: Array<() => void> = [];
  private waiters: Array<{ mark: number; resolve: () => void; reject: (error: unknown) => void }> = [];

  /** `datasync` flushes the WAL file; tests inject a slow or failing one. */
  constructor(
    private readonly walPath: string,
    private readonly datasync: Datasync = (fd, done) => fs.fdatasync(fd, done),
  ) {}

  /** Counts a commit made without an fsync; returns its mark. */
  commit(): number {
    return ++this.committed;
  }

  /** Whether an fsync is running now. */
  get syncing(): boolean {
    return this.running;
  }

  /** Calls `fn` once the fsync running now has returned (its waiters answered first). */
  afterSync(fn: () => void): void {
    this.idle.push(fn);
  }

  /** The mark of every commit made so far. */
  get mark(): number {
    return this.committed;
  }

  /** Resolves once every commit up to `mark` is durable; at once when they already are. */
  durable(mark: number = this.committed): Promise<void> {
    if (mark <= this.synced) return Promise.resolve();
    if (this.failed !== undefined) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiters.push({ mark, resolve, reject });
      if (!this.running) this.sync();
    });
  }

  /** `value` once the commits made before it was read are durable. */
  settle<T>(value: T, mark: number): T | Promise<T> {
    return mark <= this.synced ? value : this.durable(mark).then(() => value);
  }

  private sync(): void {
    this.running = true;
    const target = this.committed;
    let fd: number;
    try {
      fd = this.fd ??= fs.openSync(this.walPath, 'r');
    } catch (error) {
      this.finish(target, error);
      return;
    }
    this.datasync(fd, (error) => this.finish(target, error));
  }

  private finish(target: number, error: unknown): void {
    this.running = false;
    const covered = this.waiters.filter((w) => w.mark <= target);
    this.waiters = this.waiters.filter((w) => w.mark > target);
    if (error) {
      // As PostgreSQL does: after a failed fsync no later one proves anything (ADR 0009).
      this.failed = new StorageUnavailableError('fsync of the SQLite WAL failed', { cause: error });
      for (const w of [...covered, ...this.waiters]) w.reject(this.failed);
      this.waiters = [];
    } else {
      this.synced = Math.max(this.synced, target);
      covered.forEach((w) => w.resolve());
    }
    const idle = this.idle;
    this.idle = [];
    for (const fn of idle) fn();
    if (this.waiters.length > 0 && !this.running) this.sync();
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
