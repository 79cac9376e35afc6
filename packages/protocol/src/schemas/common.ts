import { z } from 'zod';
import { LIMITS, codePointLength } from '../rooms.js';

/** Opaque ids: non-empty, bounded, no control characters. */
export const idSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.idMax, `must be at most ${LIMITS.idMax} characters`)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/**
 * A room id: as an id, but longer, since a group DM's id holds up to 9 member ids
 * (`dm:` + ids joined by `:`, CONTRACT.md v2).
 */
export const roomIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.roomIdMax, `must be at most ${LIMITS.roomIdMax} characters`)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

export const isoTimeSchema = z.iso.datetime();

/** Text that every storage engine keeps exactly: well-formed Unicode, no NUL. */
export function storableText(field: string) {
  return z
    .string()
    .refine((s) => s.isWellFormed(), `${field} must be well-formed Unicode`)
    .refine((s) => !s.includes('\u0000'), `${field} must not contain NUL characters`);
}

export function codePointsBetween(field: string, min: number, max: number) {
  return (s: string) => {
    const n = codePointLength(s);
    return n >= min && n <= max;
  };
}

/** A non-negative sequence number. */
export const seqSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
