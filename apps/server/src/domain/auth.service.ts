import { createHash, randomBytes } from 'node:crypto';
import { DELETED_USERNAME, type User } from '@parley/protocol';
import { DuplicateKeyError } from '../storage/errors.js';
import type { Storage } from '../storage/storage.js';
import { AppError } from './errors.js';
import { newId } from './ids.js';
import { hashPassword, unknownUserHash, verifyPassword } from './passwords.js';

export interface Authenticated {
  user: User;
  sessionId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface IssuedSession extends Authenticated {
  token: string;
}

/** Sessions are random bearer tokens; only their SHA-256 is stored, so a leaked table grants nothing. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class AuthService {
  constructor(
    private readonly storage: Storage,
    private readonly sessionTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async register(username: string, password: string): Promise<IssuedSession> {
    // What deleted accounts are shown as: nobody may take it, as if it were a taken name.
    if (username === DELETED_USERNAME) throw new AppError('CONFLICT', 'username is taken');
    const user: User = { id: newId('u'), username, displayName: '' };
    const passwordHash = await hashPassword(password);
    try {
      await this.storage.users.create({ ...user, passwordHash, createdAt: new Date(this.now()).toISOString() });
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new AppError('CONFLICT', 'username is taken');
      throw error;
    }
    return this.startSession(user);
  }

  async login(username: string, password: string): Promise<IssuedSession> {
    const record = await this.storage.users.findByUsername(username);
    const valid = await verifyPassword(password, record?.passwordHash ?? (await unknownUserHash()));
    if (!record || !valid) throw new AppError('UNAUTHORIZED', 'wrong username or password');
    return this.startSession({ id: record.id, username: record.username, displayName: record.displayName });
  }

  /** The session behind a token, or null when it is unknown, expired or logged out. */
  async authenticate(token: string): Promise<Authenticated | null> {
    if (token.length === 0 || token.length > 256) return null;
    const found = await this.storage.sessions.findActive(sessionIdOf(token), this.now());
    if (!found) return null;
    return { user: found.user, sessionId: found.session.id, expiresAt: found.session.expiresAt };
  }

  /** True while the session exists and has not expired (for sockets that carry only its id). */
  async isActive(sessionId: string): Promise<boolean> {
    return (await this.storage.sessions.findActive(sessionId, this.now())) !== null;
  }

  async logout(sessionId: string): Promise<void> {
    await this.storage.sessions.delete(sessionId);
  }

  private async startSession(user: User): Promise<IssuedSession> {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const session = {
      id: sessionIdOf(token),
      userId: user.id,
      createdAt: new Date(now).toISOString(),
      expiresAt: now + this.sessionTtlMs,
    };
    await this.storage.sessions.create(session);
    return { user, token, sessionId: session.id, expiresAt: session.expiresAt };
  }
}
