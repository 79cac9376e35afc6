import { useId, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import { searchableQuery, type SearchResult } from '../api/search.api';
import { useDebouncedValue } from '../hooks/use-debounced-value';
import { useSearchShortcut } from '../hooks/use-search-shortcut';
// Part of the signed-in chunk, which the first page never loads. Not a chunk of its own on purpose:
// a second lazy level made the bundler split React's JSX runtime out of the sign-in page's chunk
// (+0.5 KiB gzip on the first page).
import { SearchResults } from './search-results';
import './message-search.css';

/** How long typing must pause before a search is sent. */
export const SEARCH_DEBOUNCE_MS = 250;

/**
 * The `search` landmark: a searchbox named `Search messages` (Ctrl+K or `/` focuses it) and, while it
 * or the results have the focus, the results of what was typed (at least 3 characters). `resultHref`
 * says where a result leads (the app's routes); choosing one closes the results.
 */
export function MessageSearch({ resultHref }: { resultHref: (result: SearchResult) => string }) {
  const input = useRef<HTMLInputElement>(null);
  const panelId = useId();
  useSearchShortcut(input);
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [settled, flush] = useDebouncedValue(text, SEARCH_DEBOUNCE_MS);
  const typing = text !== settled;
  const query = searchableQuery(settled);
  const shown = open && text.trim() !== '';

  const focusFirstResult = (container: HTMLElement | null) => container?.querySelector<HTMLElement>('[data-search-result]')?.focus();
  const onInputKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape' && shown) {
      event.preventDefault();
      setOpen(false);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      focusFirstResult(document.getElementById(panelId));
    }
  };
  // The results close when the focus leaves the landmark (not when it moves into the results, nor
  // when the control that had it went away, as `Load more` after the last page).
  const onBlur = (event: FocusEvent<HTMLFormElement>) => {
    const form = event.currentTarget;
    const left = event.target;
    if (form.contains(event.relatedTarget as Node | null)) return;
    queueMicrotask(() => {
      if (left.isConnected && !form.contains(document.activeElement)) setOpen(false);
    });
  };
  const backToInput = () => input.current?.focus();

  return (
    <form
      role="search"
      className="message-search"
      onSubmit={(event) => {
        event.preventDefault();
        flush();
        setOpen(true);
      }}
      onBlur={onBlur}
    >
      <input
        ref={input}
        type="search"
        aria-label="Search messages"
        placeholder="Search messages"
        className="message-search__input"
        value={text}
        aria-controls={shown ? panelId : undefined}
        aria-keyshortcuts="Control+K /"
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onInputKeyDown}
      />
      {shown && (
        <div id={panelId} className="message-search__panel">
          {searchableQuery(text) === null ? (
            <p className="muted small">Type at least 3 characters to search.</p>
          ) : (
            <SearchResults
              query={query}
              typing={typing}
              resultHref={resultHref}
              onChoose={() => setOpen(false)}
              onEscape={() => {
                // In this order: focusing the searchbox opens the results.
                backToInput();
                setOpen(false);
              }}
              onBeforeFirst={backToInput}
            />
          )}
        </div>
      )}
    </form>
  );
}
