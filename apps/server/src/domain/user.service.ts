import { LIMITS, type User } from '@parley/protocol';
import type { Storage } from '../storage/storage.js';

export class UserService {
  constructor(private readonly storage: Storage) {}

  /** Users whose username starts with `prefix`, at most LIMITS.userSearchMax. */
  search(prefix: string): Promise<User[]> {
    return this.storage.users.searchByPrefix(prefix, LIMITS.userSearchMax);
  }
}
