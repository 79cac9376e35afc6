import { migrationsFor, type Migration } from '../schema.js';

export type { Migration } from '../schema.js';

/**
 * The schema's migrations (storage/schema.ts) in PostgreSQL's SQL; db.ts applies them at
 * start-up under an advisory lock.
 */
export const migrations: ReadonlyArray<Migration> = migrationsFor('postgres');
