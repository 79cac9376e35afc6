import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../../src/storage/errors.js';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import type { Storage } from '../../src/storage/storage.js';

/**
 * ADR 0009: a group commit's fsync runs off the event loop. These prove the order it must keep with an
 * fsync the test holds: no ack and no read shows a commit before its fsync returns, commits made while
 * one runs are committed together after it, and a failed fsync fails its batch and everything after it.
 */
const T0 = '2026-01-01T00:00:00.000Z';
const author = { id: 'u_a', username: 'alice', displayName: '' };

/** An fsync the test completes by hand; `calls` counts the ones started. */
function heldFsync() {
  const pending: Array<(error?: unknown) => void> = [];
  let real = true;
  return {
    calls: 0,
    pending,
    /** Until `hold()`, syncs complete at once (setup writes). */
    hold() {
      real = false;
    },
    datasync(this: { calls: number }, fd: number, done: (error?: unknown) => void) {
      this.calls++;
      if (real) fs.fdatasync(fd, done);
      else pending.push(done);
    },
  };
}

/** Settles after every pending callback and I/O of this turn: long enough for an ack that is not held. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('SQLite: the group commit fsync off the event loop (ADR 0009)', () => {
  let dir: string;
  let storage: Storage;
  const open = async (fsync: ReturnType<typeof heldFsync>) => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-walsync-'));
    storage = createSqliteStorage(dir, { datasync: (fd, done) => fsync.datasync(fd, done) });
    await storage.users.create({ ...author, passwordHash: 'h', createdAt: T0 });
    await storage.rooms.create({ id: 'r_a', kind: 'public', name: 'a', ownerId: 'u_a', createdAt: T0 }, ['u_a']);
  };
  const send = (n: number) =>
    storage.messages.append({ id: `m_${n}`, roomId: 'r_a', author, clientMsgId: `c${n}`, text: `hello ${n}`, createdAt: T0 });
  afterEach(async () => {
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('acknowledges an append and shows it to readers only once its fsync has returned', async () => {
    const fsync = heldFsync();
    await open(fsync);
    fsync.hold();
    let acked = false;
    const append = send(1).then((r) => {
      acked = true;
      return r;
    });
    await settle();
    // Committed to the WAL (another connection sees the row) but not acknowledged, and not shown.
    const raw = new Database(path.join(dir, 'parley.db'), { readonly: true });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM messages').get()).toEqual({ n: 1 });
    raw.close();
    expect(fsync.pending).toHaveLength(1);
    expect(acked).toBe(false);
    let page: unknown[] | undefined;
    void storage.messages.history('r_a', { limit: 50 }).then((p) => (page = p));
    let room: { lastSeq: number } | null | undefined;
    void storage.rooms.findById('r_a').then((r) => (room = r));
    await settle();
    expect(page).toBeUndefined();
    expect(room).toBeUndefined();

    fsync.pending.shift()!();
    expect((await append).message.seq).toBe(1);
    await settle();
    expect(page).toHaveLength(1);
    expect(room?.lastSeq).toBe(1);
  });

  it('commits the writes that arrive while an fsync runs together once it returns, with one more fsync', async () => {
    const fsync = heldFsync();
    await open(fsync);
    fsync.hold();
    const stored = () => {
      const raw = new Database(path.join(dir, 'parley.db'), { readonly: true });
      try {
        return raw.prepare('SELECT COUNT(*) FROM messages').pluck().get();
      } finally {
        raw.close();
      }
    };
    const first = send(1);
    await settle();
    const before = fsync.calls;
    // Three more writes, in three event-loop turns, while the first fsync is held: none commits yet.
    const later = [send(2)];
    await settle();
    later.push(send(3));
    await settle();
    later.push(send(4));
    await settle();
    expect(stored()).toBe(1);
    expect(fsync.calls).toBe(before);
    fsync.pending.shift()!();
    expect((await first).message.seq).toBe(1);
    await settle();
    expect(stored()).toBe(4); // one commit for the three
    expect(fsync.calls).toBe(before + 1); // and one fsync
    fsync.pending.shift()!();
    expect((await Promise.all(later)).map((r) => r.message.seq)).toEqual([2, 3, 4]);
  });

  it('fails the batch of a failed fsync and every write after it', async () => {
    const fsync = heldFsync();
    await open(fsync);
    fsync.hold();
    const failed = send(1);
    await settle();
    fsync.pending.shift()!(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(failed).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(send(2)).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(fsync.pending).toHaveLength(0); // no later fsync is trusted, none is tried
  });
});
