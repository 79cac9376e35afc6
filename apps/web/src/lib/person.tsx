import type { User } from '@parley/protocol';
import { usePerson } from './people.store';
import './person.css';

/** What a person is called wherever they are shown: their display name, else their username. */
export function shownName(user: Pick<User, 'username' | 'displayName'>): string {
  return user.displayName || user.username;
}

/** A person's name as shown, as last heard (a rename shows at once). */
export function PersonName({ user }: { user: Pick<User, 'id' | 'username' | 'displayName'> }) {
  return <>{shownName(usePerson(user))}</>;
}

/** Up to two initials of a name: the first letters of its first two words, else its first two characters. */
export function initials(name: string): string {
  const words = name
    .trim()
    .split(/[\s._-]+/u)
    .filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[1]!].map((w) => [...w][0]!) : [...(words[0] ?? '?')].slice(0, 2);
  return letters.join('').toLocaleUpperCase();
}

/**
 * A hue from the user id (FNV-1a), so a person keeps their colour wherever they appear and
 * whatever they are called; lightness is fixed so white initials keep a 4.5:1 contrast.
 */
export function avatarHue(userId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 360;
}

/** Initials on a colour derived from the user id; decorative (the name is always shown beside it). */
export function Avatar({ user, size = 'medium' }: { user: Pick<User, 'id' | 'username' | 'displayName'>; size?: 'small' | 'medium' }) {
  return (
    <span className={`avatar avatar--${size}`} style={{ '--avatar-hue': avatarHue(user.id) } as React.CSSProperties} aria-hidden="true">
      {initials(shownName(user))}
    </span>
  );
}
