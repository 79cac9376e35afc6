import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { usePeopleLookup } from '../../../lib/people.store';
import { Avatar } from '../../../lib/person';
import { memberSearchQueryOptions } from '../api/members.api';
import { useMe, useMembership } from '../hooks/use-membership';
import { insertMention, mentionAtCaret, mentionOptions, optionName, type MentionOption } from '../mention-completion';
import './mention-suggestions.css';

interface Completion {
  /** Spread on the textarea: it stays a textbox with its own name, and says it completes from a list. */
  inputProps: {
    'aria-autocomplete': 'list';
    'aria-controls': string | undefined;
    'aria-activedescendant': string | undefined;
    onSelect: () => void;
  };
  /** Call first in the textarea's onKeyDown: true when the key was the list's (then do nothing else). */
  onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => boolean;
  /** The list, while there is something to offer (render it beside the textarea). */
  list: ReactNode;
}

/**
 * `@` completion of the room's members for a composer: typing `@` and the start of a username
 * offers the members (and `@room` to owners and admins) in a listbox; Up and Down move, Enter or Tab
 * choose, Escape closes it; a click chooses too. The focus stays in the textarea throughout
 * (`aria-activedescendant`), as in the ARIA combobox pattern.
 */
export function useMentionCompletion(
  roomId: string,
  text: string,
  setText: (text: string) => void,
  input: RefObject<HTMLTextAreaElement | null>,
): Completion {
  const listId = useId();
  const me = useMe();
  const person = usePeopleLookup();
  const { joined, role } = useMembership(roomId);
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const caretAfterInsert = useRef<number | null>(null);

  const typed = joined ? mentionAtCaret(text, caret) : null;
  const members = useQuery({
    ...memberSearchQueryOptions(roomId, typed?.prefix ?? ''),
    enabled: typed !== null,
    placeholderData: keepPreviousData,
  }).data;
  const options = typed ? mentionOptions(members ?? [], typed.prefix, me?.id ?? '', role === 'owner' || role === 'admin') : [];
  const open = typed !== null && options.length > 0 && dismissedAt !== typed.start;
  const activeIndex = Math.min(active, options.length - 1);
  const optionId = (i: number) => `${listId}-option-${i}`;

  // After a choice the caret goes after the inserted name (React set the value, which moved it to the end).
  useLayoutEffect(() => {
    const at = caretAfterInsert.current;
    if (at === null || !input.current) return;
    caretAfterInsert.current = null;
    input.current.setSelectionRange(at, at);
    setCaret(at);
  }, [text, input]);

  const readCaret = () => setCaret(input.current?.selectionStart ?? text.length);
  const choose = (option: MentionOption) => {
    if (!typed) return;
    const next = insertMention(text, typed.start, caret, optionName(option));
    caretAfterInsert.current = next.caret;
    setText(next.text);
    setActive(0);
    input.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open || event.nativeEvent.isComposing) return false;
    const move = (by: number) => setActive((activeIndex + by + options.length) % options.length);
    switch (event.key) {
      case 'ArrowDown':
        move(1);
        break;
      case 'ArrowUp':
        move(-1);
        break;
      case 'Enter':
      case 'Tab':
        if (event.shiftKey) return false;
        // A name typed in full has nothing left to complete: Enter sends, as without the list.
        if (event.key === 'Enter' && optionName(options[activeIndex]!) === typed.prefix) return false;
        choose(options[activeIndex]!);
        break;
      case 'Escape':
        setDismissedAt(typed.start);
        break;
      default:
        return false;
    }
    event.preventDefault();
    event.stopPropagation();
    return true;
  };

  const list = open ? (
    <ul role="listbox" id={listId} aria-label="Mention suggestions" className="mention-list">
      {options.map((option, i) => (
        <li
          key={optionName(option)}
          id={optionId(i)}
          role="option"
          aria-selected={i === activeIndex}
          className="mention-list__option"
          // Keep the focus in the textarea: the click chooses, the caret stays where it was.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => choose(option)}
        >
          {option.kind === 'user' && <Avatar user={person(option.user)} size="small" />}
          <span className="mention-list__name">@{optionName(option)}</span>
          <span className="mention-list__detail">
            {option.kind === 'room' ? 'Notify everyone in this room' : person(option.user).displayName}
          </span>
        </li>
      ))}
    </ul>
  ) : null;

  return {
    inputProps: {
      'aria-autocomplete': 'list',
      'aria-controls': open ? listId : undefined,
      'aria-activedescendant': open ? optionId(activeIndex) : undefined,
      onSelect: readCaret,
    },
    onKeyDown,
    list,
  };
}
