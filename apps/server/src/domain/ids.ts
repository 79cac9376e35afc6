import { randomFillSync } from 'node:crypto';

/** Random bytes drawn 4 KiB at a time (one call per ~400 ids, not one per id: issue 18's hot path). */
const pool = Buffer.alloc(4096);
let used = pool.length;

/** Opaque ids with a readable prefix: `u_` users, `r_` rooms, `m_` messages, `f_` files. Never contain ':'. */
export function newId(prefix: 'u' | 'r' | 'm' | 'f'): string {
  if (used + 10 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += 10;
  return `${prefix}_${pool.toString('hex', used - 10, used)}`;
}
