/**
 * Versioned schema migrations, applied in order at start-up. Never edit a released
 * migration: add a new one. The SQL stays portable to PostgreSQL where it can.
 */
export const migrations: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        username      TEXT NOT NULL UNIQUE,
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

      CREATE TABLE rooms (
        id           TEXT PRIMARY KEY,
        kind         TEXT NOT NULL CHECK (kind IN ('public', 'private', 'dm')),
        name         TEXT NOT NULL,
        owner_id     TEXT REFERENCES users (id),
        member_count INTEGER NOT NULL DEFAULT 0,
        last_seq     INTEGER NOT NULL DEFAULT 0,
        created_at   TEXT NOT NULL
      );
      CREATE INDEX rooms_kind ON rooms (kind);

      CREATE TABLE memberships (
        room_id       TEXT NOT NULL REFERENCES rooms (id),
        user_id       TEXT NOT NULL REFERENCES users (id),
        last_read_seq INTEGER NOT NULL DEFAULT 0,
        joined_at     TEXT NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );
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
        seq           INTEGER NOT NULL,
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
