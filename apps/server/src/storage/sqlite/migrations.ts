import { migrationsFor, type Migration } from '../schema.js';

export type { Migration } from '../schema.js';

/** The schema's migrations (storage/schema.ts) in SQLite's SQL; db.ts applies them on open. */
export const migrations: ReadonlyArray<Migration> = migrationsFor('sqlite');
