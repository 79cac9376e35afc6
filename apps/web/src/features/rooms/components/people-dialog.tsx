import { useDeferredValue, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { User } from '@parley/protocol';
import { Dialog } from '../../../lib/dialog';
import { userSearchQueryOptions } from '../api/rooms.api';

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
  const deferred = useDeferredValue(query.trim().toLowerCase());
  const results = useQuery({ ...userSearchQueryOptions(deferred), enabled: deferred.length > 0 });
  const people = (results.data ?? []).filter((u) => !excludeIds.includes(u.id));

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
        <ul className="people" aria-label="People">
          {people.map((user) => (
            <li key={user.id}>
              <button type="button" onClick={() => onPick(user)}>
                {user.username}
              </button>
            </li>
          ))}
        </ul>
        {deferred.length > 0 && results.isSuccess && people.length === 0 && <p className="muted small">No one found.</p>}
      </div>
    </Dialog>
  );
}
