import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import { describeStorageContract } from './storage.contract.js';

const dirs = new WeakMap<object, string>();

describeStorageContract('SQLite', {
  async open() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sqlite-'));
    const storage = createSqliteStorage(dir);
    dirs.set(storage, dir);
    return storage;
  },
  async dispose(storage) {
    await storage.close();
    fs.rmSync(dirs.get(storage)!, { recursive: true, force: true });
  },
});

describe('SQLite specifics', () => {
  it('keeps data across reopen and does not re-run migrations', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sqlite-'));
    const first = createSqliteStorage(dir);
    await first.users.create({ id: 'u_a', username: 'alice', passwordHash: 'h', createdAt: '2026-01-01T00:00:00Z' });
    await first.close();
    const second = createSqliteStorage(dir);
    expect(await second.users.findById('u_a')).toEqual({ id: 'u_a', username: 'alice' });
    await second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
