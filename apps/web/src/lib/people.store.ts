import { create } from 'zustand';
import type { User } from '@parley/protocol';

interface PeopleState {
  /** The latest profile heard from `user:updated`, by user id. */
  byId: Record<string, User>;
  heard(user: User): void;
  reset(): void;
}

/**
 * People as last heard: a map fed only by `user:updated` (a display name changed, or an account
 * deleted). Messages, previews and search results hold their author as it was when fetched; what is
 * shown of a person goes through `usePerson`, which prefers what was heard since. It holds no query
 * data (nothing is copied in from a fetch), only the live changes that override it, so a rename
 * shows everywhere at once without patching every cache that holds that person.
 */
export const usePeopleStore = create<PeopleState>()((set) => ({
  byId: {},
  heard: (user) => set((s) => ({ byId: { ...s.byId, [user.id]: user } })),
  reset: () => set({ byId: {} }),
}));

/** `user` as last heard (its newer profile when `user:updated` told of one). */
export function usePerson<T extends Pick<User, 'id' | 'username' | 'displayName'>>(user: T): T {
  const heard = usePeopleStore((s) => s.byId[user.id]);
  return heard ? { ...user, username: heard.username, displayName: heard.displayName } : user;
}

/** The same outside React (and for lists): a function from a person to them as last heard. */
export function usePeopleLookup(): <T extends Pick<User, 'id' | 'username' | 'displayName'>>(user: T) => T {
  const byId = usePeopleStore((s) => s.byId);
  return (user) => {
    const heard = byId[user.id];
    return heard ? { ...user, username: heard.username, displayName: heard.displayName } : user;
  };
}
