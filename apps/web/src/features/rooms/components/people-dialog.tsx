import { useDeferredValue, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { User } from '@parley/protocol';
import { Dialog } from '../../../lib/dialog';
import { usePerson } from '../../../lib/people.store';
import { Avatar, shownName } from '../../../lib/person';
import { userSearchQueryOptions } from '../api/rooms.api';

/** People whose username starts with what was typed (lowercased, trimmed), less `excludeIds`. */
export function usePeopleSearch(query: string, excludeIds: readonly string[]) {
  const deferred = useDeferredValue(query.trim().toLowerCase());
  const results = useQuery({ ...userSearchQueryOptions(deferred), enabled: deferred.length > 0 });
  const people = (results.data ?? []).filter((u) => !excludeIds.includes(u.id));
  return { people, typed: deferred, noneFound: deferred.length > 0 && results.isSuccess && people.length === 0 };
}

/**
 * A person as a search result: avatar, name as shown, and the username when a display name hides
 * it. Its accessible name is what is shown (the username alone for someone without a display name).
 */
export function PersonButton({ user: fetched, onClick, disabled }: { user: User; onClick: () => void; disabled?: boolean }) {
  const user = usePerson(fetched);
  const name = shownName(user);
  return (
    <button type="button" className="person-button" onClick={onClick} disabled={disabled}>
      <Avatar user={user} size="small" />
      <span>{name}</span>
      {name !== user.username && <span className="muted small">@{user.username}</span>}
    </button>
  );
}

/** The people a search found, one button each (list `People`). */
export function PeopleList({ people, onPick, disabled }: { people: readonly User[]; onPick: (user: User) => void; disabled?: boolean }) {
  return (
    <ul className="people" aria-label="People">
      {people.map((user) => (
        <li key={user.id}>
          <PersonButton user={user} onClick={() => onPick(user)} disabled={disabled} />
        </li>
      ))}
    </ul>
  );
}

/** Finds people by username prefix; one button per result. */
export function PeopleDialog({
  title,
  excludeIds,
  onPick,
  onClose,
  status,
}: {
  title: string;
  excludeIds: readonly string[];
  onPick: (user: User) => void;
  onClose: () => void;
  status?: string | undefined;
}) {
  const [query, setQuery] = useState('');
  const { people, noneFound } = usePeopleSearch(query, excludeIds);

  return (
    <Dialog title={title} onClose={onClose}>
      <div className="stack">
        <label>
          Find people
          <input
            autoFocus
            autoCapitalize="none"
            spellCheck={false}
            placeholder="Start typing a username"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
        {status && (
          <p role="status" className="muted small">
            {status}
          </p>
        )}
        <PeopleList people={people} onPick={onPick} />
        {noneFound && <p className="muted small">No one found.</p>}
      </div>
    </Dialog>
  );
}
