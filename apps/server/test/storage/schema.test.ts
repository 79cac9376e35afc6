import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations as postgresMigrations } from '../../src/storage/postgres/migrations.js';
import { migrationsFor } from '../../src/storage/schema.js';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import { migrations as sqliteMigrations } from '../../src/storage/sqlite/migrations.js';
import type { Storage } from '../../src/storage/storage.js';
import { describePostgres, useTestSchema } from './postgres.support.js';
import { exercise, expectMigratedFromV1, normalise, RECORDED, RELEASED, releasedDatabase, shipped, V1_DATA } from './schema.support.js';

/**
 * Released migrations never change: databases made by them must keep working (see RELEASED in
 * schema.support.ts and fixtures/released/). The schema is generated as it shipped, fresh
 * databases get exactly the released schema, and released ones open without migrating again.
 */

describe('schema source (storage/schema.ts)', () => {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    it(`generates, for ${dialect}, the SQL every released migration shipped with`, () => {
      const generated = migrationsFor(dialect);
      expect(generated.slice(0, RELEASED.length).map(({ version, name }) => ({ version, name }))).toEqual(RELEASED);
      for (const { version } of RELEASED) {
        expect(normalise(generated.find((m) => m.version === version)!.sql)).toBe(normalise(shipped(version, dialect)));
      }
    });
  }

  it('is what the SQLite and PostgreSQL runners apply', () => {
    expect(sqliteMigrations).toEqual(migrationsFor('sqlite'));
    expect(postgresMigrations).toEqual(migrationsFor('postgres'));
  });
});

/** Tables, columns, indexes, foreign keys and checks of a SQLite database, schema_migrations aside. */
const sqliteSchema = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    const objects = db
      .prepare<[], { type: string; name: string; tbl_name: string; sql: string | null }>(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name <> 'schema_migrations' ORDER BY type, name",
      )
      .all()
      .map((o) => ({ ...o, sql: o.sql && normalise(o.sql) }));
    const tables = objects.filter((o) => o.type === 'table').map((o) => o.name);
    const detail = (pragma: string, name: string) => db.prepare(`SELECT * FROM pragma_${pragma}(?)`).all(name);
    return {
      objects,
      tables: tables.map((table) => ({
        table,
        columns: detail('table_xinfo', table),
        foreignKeys: detail('foreign_key_list', table),
        indexes: (detail('index_list', table) as { name: string }[]).map((index) => ({
          ...index,
          columns: detail('index_xinfo', index.name),
        })),
      })),
    };
  } finally {
    db.close();
  }
};

describe('SQLite schema', () => {
  /** Runs `use` on a new directory, with a database `sql` made in it first if any, and removes it after. */
  const inDirectory = async (sql: string | null, use: (dir: string, file: string) => Promise<void>) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-schema-'));
    const file = path.join(dir, 'parley.db');
    try {
      if (sql !== null) new Database(file).exec(sql).close();
      await use(dir, file);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  /** Opens the storage on `dir` for `use` and closes it after. */
  const opened = async (dir: string, use: (storage: Storage) => Promise<void>) => {
    const storage = createSqliteStorage(dir);
    try {
      await use(storage);
    } finally {
      await storage.close();
    }
  };

  it('is the released one on a fresh database, and a released database opens without migrating again', async () => {
    await inDirectory(releasedDatabase('sqlite'), async (dir, file) => {
      const before = sqliteSchema(file);
      await inDirectory(null, async (freshDir, freshFile) => {
        await createSqliteStorage(freshDir).close();
        expect(sqliteSchema(freshFile)).toEqual(before);
      });
      await opened(dir, exercise);
      expect(sqliteSchema(file)).toEqual(before);
      const applied = new Database(file, { readonly: true });
      expect(applied.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all()).toEqual(RECORDED);
      applied.close();
    });
  });

  it('migrates a v1 database with messages: revs = seqs, lastRev = lastSeq', async () => {
    await inDirectory(releasedDatabase('sqlite', 1, V1_DATA), (dir) => opened(dir, expectMigratedFromV1));
  });
});

describePostgres('PostgreSQL schema', () => {
  const db = useTestSchema();

  /** Columns, indexes, constraints and storage options of the tables in schema, schema_migrations aside. */
  const postgresSchema = async (schema: string) => {
    const unqualified = (rows: object[]) => JSON.parse(JSON.stringify(rows).replaceAll(`${schema}.`, ''));
    const query = async (sql: string) => unqualified((await db.admin.query(sql, [schema])).rows);
    return {
      columns: await query(
        `SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default, collation_name
           FROM information_schema.columns
          WHERE table_schema = $1 AND table_name <> 'schema_migrations' ORDER BY table_name, ordinal_position`,
      ),
      indexes: await query(
        `SELECT tablename, indexname, indexdef FROM pg_indexes
          WHERE schemaname = $1 AND tablename <> 'schema_migrations' ORDER BY indexname`,
      ),
      constraints: await query(
        `SELECT t.relname AS table, c.conname, c.contype, pg_get_constraintdef(c.oid) AS definition
           FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = $1 AND t.relname <> 'schema_migrations' ORDER BY t.relname, c.conname`,
      ),
      relations: await query(
        `SELECT c.relname, c.relkind, c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname NOT LIKE 'schema_migrations%' ORDER BY c.relname`,
      ),
    };
  };

  /** Makes `schema` and runs `sql` in it, on a connection of its own (its search_path is not the pool's). */
  const createSchema = async (schema: string, sql: string) => {
    const client = await db.admin.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}; ${sql}`);
    } finally {
      client.release(true);
    }
  };

  it('is the released one on a fresh database, and a released database opens without migrating again', async () => {
    const released = `${db.schema}_released`;
    const fresh = `${db.schema}_fresh`;
    try {
      await createSchema(released, releasedDatabase('postgres'));
      const before = await postgresSchema(released);
      expect(before.columns.length).toBeGreaterThan(0);

      await (await db.open({ schema: fresh })).close();
      expect(await postgresSchema(fresh)).toEqual(before);

      const storage = await db.open({ schema: released });
      try {
        await exercise(storage);
      } finally {
        await storage.close();
      }
      expect(await postgresSchema(released)).toEqual(before);
      const applied = await db.admin.query(`SELECT version, name, applied_at FROM ${released}.schema_migrations ORDER BY version`);
      expect(applied.rows).toEqual(RECORDED);
    } finally {
      await db.admin.query(`DROP SCHEMA IF EXISTS ${released} CASCADE; DROP SCHEMA IF EXISTS ${fresh} CASCADE`);
    }
  });

  it('migrates a v1 database with messages: revs = seqs, lastRev = lastSeq', async () => {
    const v1 = `${db.schema}_v1`;
    try {
      await createSchema(v1, releasedDatabase('postgres', 1, V1_DATA));
      const storage = await db.open({ schema: v1 });
      try {
        await expectMigratedFromV1(storage);
      } finally {
        await storage.close();
      }
    } finally {
      await db.admin.query(`DROP SCHEMA IF EXISTS ${v1} CASCADE`);
    }
  });
});
