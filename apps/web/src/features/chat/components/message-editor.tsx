import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { LIMITS, codePointLength, hasVisibleCharacter } from '@parley/protocol';

/**
 * A message's text, edited in place: Enter (or Save) saves, Shift+Enter adds a line, Escape (or
 * Cancel) leaves it as it was. Saving the same text changes nothing.
 */
export function MessageEditor({ text, onSave, onCancel }: { text: string; onSave: (text: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState(text);
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const box = input.current;
    if (!box) return;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }, []);

  const tooLong = codePointLength(value) > LIMITS.messageTextMax;
  const canSave = hasVisibleCharacter(value) && !tooLong;
  const save = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSave) return;
    if (value === text) onCancel();
    else onSave(value);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      save();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    }
  };

  return (
    <form className="message__editor" onSubmit={save}>
      <textarea
        ref={input}
        aria-label="Edit message"
        rows={Math.min(8, value.split('\n').length)}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={tooLong}
      />
      {tooLong && (
        <p role="alert" className="error small">
          Messages can be at most {LIMITS.messageTextMax} characters.
        </p>
      )}
      <div className="row message__editor-actions">
        <button type="button" className="small" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary small" disabled={!canSave}>
          Save
        </button>
        <span className="muted small">Enter to save, Escape to cancel</span>
      </div>
    </form>
  );
}
