/**
 * Versioned schema migrations for PostgreSQL, applied in order at start-up under an advisory
 * lock (see db.ts). Never edit a released migration: add a new one. The schema mirrors the
 * SQLite one (sqlite/migrations.ts) with PostgreSQL types:
 * - every seq, marker and millisecond timestamp is BIGINT (SQLite's INTEGER is 64-bit);
 * - ISO timestamps stay TEXT so they come back exactly as they were written;
 * - username is COLLATE "C": byte order like SQLite's BINARY, whatever the database locale,
 *   and its unique index then serves `LIKE 'prefix%'`.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        username      TEXT COLLATE "C" NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        created_at    TEXT NOT NULL
      );

      CREATE TABLE sessions (
        id         TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users (id),
        created_at TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX sessions_user_id ON sessions (user_id);
      CREATE INDEX sessions_expires_at ON sessions (expires_at);

      -- Every message updates its room's row (last_seq) and its author's membership
      -- (last_read_seq): free space in each page keeps those updates HOT.
      CREATE TABLE rooms (
        id           TEXT PRIMARY KEY,
        kind         TEXT NOT NULL CHECK (kind IN ('public', 'private', 'dm')),
        name         TEXT NOT NULL,
        owner_id     TEXT REFERENCES users (id),
        member_count INTEGER NOT NULL DEFAULT 0,
        last_seq     BIGINT NOT NULL DEFAULT 0,
        created_at   TEXT NOT NULL
      ) WITH (fillfactor = 50);
      CREATE INDEX rooms_kind ON rooms (kind);

      CREATE TABLE memberships (
        room_id       TEXT NOT NULL REFERENCES rooms (id),
        user_id       TEXT NOT NULL REFERENCES users (id),
        last_read_seq BIGINT NOT NULL DEFAULT 0,
        joined_at     TEXT NOT NULL,
        PRIMARY KEY (room_id, user_id)
      ) WITH (fillfactor = 70);
      CREATE INDEX memberships_user_id ON memberships (user_id);

      CREATE TABLE invitations (
        room_id    TEXT NOT NULL REFERENCES rooms (id),
        user_id    TEXT NOT NULL REFERENCES users (id),
        invited_by TEXT NOT NULL REFERENCES users (id),
        created_at TEXT NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );

      CREATE TABLE messages (
        id            TEXT PRIMARY KEY,
        room_id       TEXT NOT NULL REFERENCES rooms (id),
        seq           BIGINT NOT NULL,
        author_id     TEXT NOT NULL REFERENCES users (id),
        client_msg_id TEXT NOT NULL,
        text          TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        CONSTRAINT messages_room_seq UNIQUE (room_id, seq),
        CONSTRAINT messages_idempotency UNIQUE (room_id, author_id, client_msg_id)
      );
    `,
  },
];
