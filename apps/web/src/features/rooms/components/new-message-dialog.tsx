import { useRef, useState, type FormEvent } from 'react';
import { LIMITS, type User } from '@parley/protocol';
import { Dialog } from '../../../lib/dialog';
import { Avatar, shownName } from '../../../lib/person';
import { PeopleList, usePeopleSearch } from './people-dialog';

/** Others a conversation may have: a DM has at most LIMITS.dmMembersMax members, me included. */
export const MAX_OTHERS = LIMITS.dmMembersMax - 1;

/**
 * `New message`: pick one person (a DM) or several (a group DM, up to MAX_OTHERS), shown as
 * removable chips, then `Open`. Enter in the search field picks the first result, or, with nothing
 * typed, opens the conversation; Backspace in the empty field removes the last one picked.
 */
export function NewMessageDialog({
  meId,
  onOpen,
  onClose,
  pending,
  error,
}: {
  meId: string;
  onOpen: (users: User[]) => void;
  onClose: () => void;
  pending: boolean;
  error: string | undefined;
}) {
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<User[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const { people, noneFound } = usePeopleSearch(query, [meId, ...chosen.map((u) => u.id)]);
  const full = chosen.length >= MAX_OTHERS;

  const pick = (user: User) => {
    if (full) return;
    setChosen((list) => [...list, user]);
    setQuery('');
    input.current?.focus();
  };
  const unpick = (user: User) => {
    setChosen((list) => list.filter((u) => u.id !== user.id));
    input.current?.focus();
  };
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (query.trim() !== '') {
      if (people[0]) pick(people[0]);
      return;
    }
    if (chosen.length > 0 && !pending) onOpen(chosen);
  };

  return (
    <Dialog title="New message" onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        {chosen.length > 0 && (
          <ul className="chips" aria-label="To">
            {chosen.map((user) => (
              <li key={user.id} className="chip">
                <Avatar user={user} size="small" />
                <span>{shownName(user)}</span>
                <button type="button" className="icon chip__remove" aria-label={`Remove ${shownName(user)}`} onClick={() => unpick(user)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <label>
          Find people
          <input
            ref={input}
            autoFocus
            autoCapitalize="none"
            spellCheck={false}
            placeholder="Start typing a username"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              // Handled here: a form whose submit button is disabled (nothing picked yet) is not submitted by Enter.
              if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
                e.preventDefault();
                submit();
              }
              if (e.key === 'Backspace' && query === '' && chosen.length > 0) setChosen((list) => list.slice(0, -1));
            }}
          />
        </label>
        <p className="muted small">
          {full
            ? `A conversation has at most ${MAX_OTHERS} people besides you.`
            : 'One person for a direct message, or several for a group.'}
        </p>
        {error && (
          <p role="alert" className="error small">
            {error}
          </p>
        )}
        <PeopleList people={people} onPick={pick} disabled={full} />
        {noneFound && <p className="muted small">No one found.</p>}
        <button type="submit" className="primary" disabled={chosen.length === 0 || pending}>
          Open
        </button>
      </form>
    </Dialog>
  );
}
