import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../apps/server/src/storage/sqlite/db.js';
import { bulkMessages, seedUsers } from './parley-seed.js';
import { startServer } from './server-process.js';
import { percentile } from './stats.js';

/** Words of several scripts; every message has three of them and a number, so terms range from common to rare. */
const WORDS = [
  'meeting',
  'Deploy',
  'release',
  'погода',
  'Привет',
  '東京タワー',
  'ラーメン',
  'coffee ☕',
  'party 🎉',
  'invoice',
  'urgent',
  'weekend',
];

/** What the searcher types: common words, a rare number, other scripts, a substring inside a word, and a miss. */
const QUERIES = [
  'deploy',
  'release',
  'ПОГОДА',
  '京タワ',
  'party 🎉',
  'voic',
  'number 4242',
  'number 77777',
  'weekend coffee',
  'no such text',
];

/**
 * Stores `count` messages round `rooms` public rooms straight into the schema (the FTS index
 * filled in bulk, parley-seed.ts), the searcher a member of a third of the rooms. Returns its token.
 */
async function seedSearch(dataDir: string, count: number, rooms: number): Promise<string> {
  const [token] = await seedUsers(dataDir, 1);
  const db = openDatabase(dataDir);
  const start = Date.now() - count * 1000;
  const now = new Date().toISOString();
  const insertRoom = db.prepare(
    "INSERT INTO rooms (id, kind, name, owner_id, member_count, last_seq, last_rev, created_at) VALUES (?, 'public', ?, 'u_bench0', 1, ?, ?, ?)",
  );
  const insertMember = db.prepare('INSERT INTO memberships (room_id, user_id, last_read_seq, joined_at) VALUES (?, ?, 0, ?)');
  const insertMessage = db.prepare(
    "INSERT INTO messages (id, room_id, seq, rev, author_id, client_msg_id, text, created_at) VALUES (?, ?, ?, ?, 'u_bench0', ?, ?, ?)",
  );
  bulkMessages(db, () => {
    const perRoom = Math.ceil(count / rooms);
    for (let r = 0; r < rooms; r++) {
      insertRoom.run(`r_search${r}`, `search ${r}`, perRoom, perRoom, now);
      if (r % 3 === 0) insertMember.run(`r_search${r}`, 'u_bench0', now);
    }
    for (let i = 0; i < count; i++) {
      const seq = Math.floor(i / rooms) + 1;
      const w = (k: number) => WORDS[(i * k + k) % WORDS.length];
      const text = `${w(1)} ${w(7)} number ${i}, about the ${w(5)} and other things people write in a busy room`;
      insertMessage.run(`m_s${i}`, `r_search${i % rooms}`, seq, seq, `c${i}`, text, new Date(start + i * 1000).toISOString());
    }
  });
  db.close();
  return token!;
}

/** p50/p99 of GET /api/search (limit 20) over `count` stored messages, queries in turn, on the production server. */
export async function searchLatency(count: number, samples: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-search-'));
  const seedStarted = performance.now();
  const token = await seedSearch(dataDir, count, 100);
  const seedMs = performance.now() - seedStarted;
  const server = await startServer('Parley', dataDir);
  const times: number[] = [];
  const perQuery = new Map<string, number[]>();
  try {
    const headers = { authorization: `Bearer ${token}` };
    for (let i = 0; i < samples + 20; i++) {
      const q = QUERIES[i % QUERIES.length]!;
      const started = performance.now();
      const res = await fetch(`${server.url}/api/search?q=${encodeURIComponent(q)}&limit=20`, { headers });
      const body = (await res.json()) as { results?: unknown[] };
      if (res.status !== 200 || !body.results) throw new Error(`search ${q}: ${res.status}`);
      const elapsed = performance.now() - started;
      if (i >= 20) {
        times.push(elapsed);
        perQuery.set(q, [...(perQuery.get(q) ?? []), elapsed]);
      }
    }
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    totalMessages: count,
    seedMs,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    byQuery: Object.fromEntries([...perQuery].map(([q, t]) => [q, { p50: percentile(t, 50), p99: percentile(t, 99) }])),
  };
}
