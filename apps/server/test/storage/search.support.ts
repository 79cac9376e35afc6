import { expect, it } from 'vitest';
import type { Storage } from '../../src/storage/storage.js';
import type { Db } from '../../src/storage/sqlite/db.js';
import { createSearchIndexer } from '../../src/storage/sqlite/search-index.js';

/**
 * A large stored history for the search plan tests (sqlite.search.test.ts, postgres.search.test.ts):
 * the rows, made up front so each driver seeds them in one transaction, and what a search of
 * them must answer, worked out here without any index.
 */
export const SEARCHER = 'u_searcher';
export const OTHER = 'u_other';
/** r_0 … r_9; the searcher is a member of r_0 … r_4 only. */
export const ROOMS = Array.from({ length: 10 }, (_, i) => `r_${i}`);
export const MEMBER_ROOMS = new Set(ROOMS.slice(0, 5));

const WORDS = ['alpha', 'Bravo', 'чарли', 'デルタ東京', 'echo 🎉', 'fox_trot', 'golf 100%', 'HOTEL'];

export interface SeedMessage {
  id: string;
  roomId: string;
  seq: number;
  text: string;
  createdAt: string;
  deleted: boolean;
}

/** `count` messages in time order, round the rooms; every 97th is a tombstone (text erased, as a delete leaves it). */
export function seedMessages(count: number): SeedMessage[] {
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: count }, (_, i) => {
    const deleted = i % 97 === 0;
    return {
      id: `m_${String(i).padStart(7, '0')}`,
      roomId: ROOMS[i % ROOMS.length]!,
      seq: Math.floor(i / ROOMS.length) + 1,
      text: deleted ? '' : `${WORDS[i % WORDS.length]} number ${i} ${WORDS[(i * 7 + 3) % WORDS.length]} note`,
      createdAt: new Date(start + i * 1000).toISOString(),
      deleted,
    };
  });
}

/** What a search of `messages` by the searcher must find: ids, newest first, without an index. */
export function expectedIds(messages: readonly SeedMessage[], text: string, roomId?: string): string[] {
  const needle = text.toLowerCase();
  return messages
    .filter((m) => !m.deleted && MEMBER_ROOMS.has(m.roomId) && (roomId === undefined || m.roomId === roomId))
    .filter((m) => m.text.toLowerCase().includes(needle))
    .map((m) => m.id)
    .reverse();
}

/** Queries of every kind: common and rare, several scripts, wildcards meant literally. */
export const QUERIES = ['number 777', 'ЧАРЛИ', 'ルタ東', 'o 🎉', 'x_tr', '00%', 'er 4242 ', 'bravo number 1234', 'nothing like this'];

/**
 * The answers both drivers must give over the seeded history (one list of tests, run by each
 * driver's file inside its own describe): what a scan finds, newest first, and paging with before.
 */
export function searchAnswerTests(storage: () => Storage, messages: readonly SeedMessage[]): void {
  const search = async (text: string, more: { roomId?: string; before?: string; limit?: number } = {}) =>
    (await storage().search.messages({ userId: SEARCHER, text, limit: 20, ...more })).map((hit) => hit.message.id);

  it('finds what a scan finds, newest first, at most limit', async () => {
    for (const q of QUERIES) {
      expect(await search(q), q).toEqual(expectedIds(messages, q).slice(0, 20));
      expect(await search(q, { roomId: 'r_3', limit: 5 }), q).toEqual(expectedIds(messages, q, 'r_3').slice(0, 5));
    }
    expect(expectedIds(messages, 'ЧАРЛИ').length).toBeGreaterThan(10_000);
  });

  it('pages through every match with before', async () => {
    const all = expectedIds(messages, 'number 777');
    expect(all.length).toBeGreaterThan(50);
    const paged: string[] = [];
    for (
      let page = await search('number 777', { limit: 20 });
      page.length > 0;
      page = await search('number 777', { limit: 20, before: paged.at(-1)! })
    ) {
      paged.push(...page);
    }
    expect(paged).toEqual(all);
  });
}

/**
 * Runs `insert` (many rows into messages) in one transaction, then indexes the new rows for search
 * in one more, as the server's indexer does in batches (migration 7: an insert indexes nothing).
 */
export function withBulkIndexing(db: Db, insert: () => void): void {
  db.transaction(insert)();
  createSearchIndexer(db).catchUp();
}
