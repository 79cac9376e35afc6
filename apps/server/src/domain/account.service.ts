import type { User } from '@parley/protocol';
import type { Storage } from '../storage/storage.js';
import type { Authenticated } from './auth.service.js';
import { AppError, forbidden } from './errors.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { RoomService } from './room.service.js';

/** What a wrong current password gets: FORBIDDEN, not UNAUTHORIZED (which would sign the client out). */
export const WRONG_PASSWORD = 'the current password is not right';

/**
 * A signed-in user's own account: their display name, their password, deleting it. Passwords are
 * checked again here: a session alone does not change or delete an account.
 */
export class AccountService {
  constructor(
    private readonly storage: Storage,
    private readonly rooms: RoomService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Sets the display name; `changed` false when it already was that (nothing to announce). */
  async setDisplayName(me: User, displayName: string): Promise<{ user: User; changed: boolean }> {
    const user = await this.storage.users.setDisplayName(me.id, displayName);
    if (!user) throw new AppError('UNAUTHORIZED', 'sign in first');
    return { user, changed: user.displayName !== me.displayName };
  }

  /** Resolves when `password` is the account's current one; FORBIDDEN otherwise. */
  async verify(me: User, password: string): Promise<void> {
    const record = await this.storage.users.findByUsername(me.username);
    if (!record || record.id !== me.id) throw new AppError('UNAUTHORIZED', 'sign in first');
    if (!(await verifyPassword(password, record.passwordHash))) throw forbidden(WRONG_PASSWORD);
  }

  /** Changes the password and ends every other session of the user; the ids of the sessions ended. */
  async changePassword(me: Authenticated, currentPassword: string, newPassword: string): Promise<{ endedSessionIds: string[] }> {
    await this.verify(me.user, currentPassword);
    if (!(await this.storage.users.setPasswordHash(me.user.id, await hashPassword(newPassword)))) {
      throw new AppError('UNAUTHORIZED', 'sign in first');
    }
    return { endedSessionIds: await this.storage.sessions.deleteForUser(me.user.id, me.sessionId) };
  }

  /**
   * Deletes the account: from the moment it is marked nothing signs in as it and none of its
   * sessions authenticates; then its session rows go (the ids returned). Its username stays taken
   * and its messages stay, shown as `Deleted user`. The caller then ends its sockets and has it
   * leave every room (leaveEveryRoom).
   */
  async deleteAccount(me: Authenticated, password: string): Promise<{ endedSessionIds: string[] }> {
    await this.verify(me.user, password);
    if (!(await this.storage.users.markDeleted(me.user.id, this.now().toISOString()))) {
      throw new AppError('UNAUTHORIZED', 'sign in first');
    }
    return { endedSessionIds: await this.storage.sessions.deleteForUser(me.user.id) };
  }

  /** A deleted account leaves every room it is in, one at a time; `left` hears each as it is done. */
  async leaveEveryRoom(user: User, left: (roomId: string) => void): Promise<void> {
    for (const roomId of await this.rooms.memberRoomIds(user.id)) {
      if ((await this.rooms.leave(user, roomId)).left) left(roomId);
    }
  }
}
