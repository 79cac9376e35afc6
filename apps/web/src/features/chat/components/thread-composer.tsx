import { useEffect, useRef, type FormEvent, type KeyboardEvent } from 'react';
import { LIMITS, codePointLength, hasVisibleCharacter, type MessageFile } from '@parley/protocol';
import { useChatStore } from '../chat.store';
import { useComposerAttachments } from './composer-attachments';
import { useMentionCompletion } from './mention-suggestions';

/**
 * The composer of a thread: a textbox named `Reply` (Enter sends, Shift+Enter adds a line, `@`
 * offers the room's members) and
 * `Send reply`. Its draft is kept per thread while the app runs. `closedNote` disables it and
 * says why (a deleted root takes no replies).
 */
export function ThreadComposer({
  roomId,
  rootId,
  onSend,
  closedNote,
}: {
  roomId: string;
  rootId: string;
  onSend: (text: string, files: MessageFile[]) => void;
  closedNote?: string | undefined;
}) {
  const draftKey = `thread:${rootId}`;
  const draft = useChatStore((s) => s.drafts[draftKey] ?? '');
  const setDraft = useChatStore((s) => s.setDraft);
  const input = useRef<HTMLTextAreaElement>(null);
  const closed = closedNote !== undefined;
  const completion = useMentionCompletion(roomId, draft, (text) => setDraft(draftKey, text), input);
  const attachments = useComposerAttachments(draftKey, roomId);

  // Opening a thread is asking to reply in it.
  useEffect(() => {
    if (!closed) input.current?.focus();
  }, [rootId, closed]);

  const tooLong = codePointLength(draft) > LIMITS.messageTextMax;
  const hasText = hasVisibleCharacter(draft);
  const canSend = !closed && (hasText || attachments.files.length > 0) && !tooLong && !attachments.uploading && !attachments.failed;

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend) return;
    onSend(hasText ? draft : '', attachments.files);
    attachments.clear();
    setDraft(draftKey, '');
    input.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (completion.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  const noteId = `reply-note-${rootId}`;
  return (
    <form className="composer thread-composer" onSubmit={send}>
      {!closed && attachments.list}
      {!closed && attachments.attachButton}
      <label htmlFor={`reply-${rootId}`} className="visually-hidden">
        Reply
      </label>
      <textarea
        id={`reply-${rootId}`}
        ref={input}
        rows={1}
        placeholder="Reply in thread"
        value={draft}
        onChange={(e) => {
          setDraft(draftKey, e.target.value);
          completion.inputProps.onSelect();
        }}
        onKeyDown={onKeyDown}
        onPaste={attachments.onPaste}
        disabled={closed}
        aria-describedby={closed ? noteId : undefined}
        aria-invalid={tooLong}
        {...completion.inputProps}
      />
      {completion.list}
      <button type="submit" className="primary" disabled={!canSend}>
        Send reply
      </button>
      {closed && (
        <p id={noteId} className="muted small thread-composer__note">
          {closedNote}
        </p>
      )}
      {tooLong && (
        <p role="alert" className="error small composer__error">
          Messages can be at most {LIMITS.messageTextMax} characters.
        </p>
      )}
    </form>
  );
}
