import { randomBytes } from 'node:crypto';

/** Opaque ids with a readable prefix: `u_` users, `r_` rooms, `m_` messages, `f_` files. Never contain ':'. */
export function newId(prefix: 'u' | 'r' | 'm' | 'f'): string {
  return `${prefix}_${randomBytes(10).toString('hex')}`;
}
