import { DELETED_USERNAME, type User } from '@parley/protocol';

/** A deleted account, as storage shows it (CONTRACT.md v2); no one can sign up as `deleted`. */
export function isDeleted(user: User): boolean {
  return user.username === DELETED_USERNAME;
}

/** What a person is called where they are shown: their display name, else their username. */
export function shownName(user: User): string {
  return user.displayName || user.username;
}
