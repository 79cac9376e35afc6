import { useCallback, useEffect, useRef, type FormEvent, type KeyboardEvent } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { LIMITS, codePointLength, hasVisibleCharacter, type MessageFile, type User } from '@parley/protocol';
import { sharedKeys } from '../../../lib/query-keys';
import { useSocket } from '../../../lib/socket-context';
import { messageKeys } from '../api/messages.api';
import type { RoomMessages } from '../api/message-window';
import { useChatStore } from '../chat.store';
import { useComposerAttachments } from './composer-attachments';
import { useMentionCompletion } from './mention-suggestions';

const TYPING_IDLE_MS = 3_000;

/** My newest top-level message of the room held, not deleted (nor being deleted): what the Up arrow edits. */
function myLastMessageId(queryClient: QueryClient, roomId: string): string | undefined {
  const meId = queryClient.getQueryData<User | null>(sharedKeys.me)?.id;
  const held = queryClient.getQueryData<RoomMessages>(messageKeys.room(roomId));
  if (!meId || !held || held.hasNewer) return undefined;
  const deleting = new Set(
    useChatStore
      .getState()
      .changes.filter((c) => c.kind === 'delete')
      .map((c) => c.messageId),
  );
  return held.messages.findLast((m) => m.author.id === meId && !m.deleted && !m.threadRootId && !deleting.has(m.id))?.id;
}

/**
 * Enter sends, Shift+Enter adds a line, the Up arrow in an empty composer edits my last message,
 * `@` offers the room's members. Tells the room while the user types. Files (`Attach file`, pasted,
 * or dropped on the room) upload as they are added and go with the text once all are uploaded;
 * the text may then be empty.
 */
export function Composer({ roomId, onSend }: { roomId: string; onSend: (text: string, files: MessageFile[]) => void }) {
  const socket = useSocket();
  const queryClient = useQueryClient();
  const draft = useChatStore((s) => s.drafts[roomId] ?? '');
  const setDraft = useChatStore((s) => s.setDraft);
  const input = useRef<HTMLTextAreaElement>(null);
  const typing = useRef<{ active: boolean; idle?: ReturnType<typeof setTimeout> }>({ active: false });
  const completion = useMentionCompletion(roomId, draft, (text) => setDraft(roomId, text), input);
  const attachments = useComposerAttachments(roomId, roomId);

  const setTyping = useCallback(
    function setTyping(active: boolean) {
      clearTimeout(typing.current.idle);
      if (active) typing.current.idle = setTimeout(() => setTyping(false), TYPING_IDLE_MS);
      if (typing.current.active === active) return;
      typing.current.active = active;
      if (socket.connected) socket.emit('typing:set', { roomId, typing: active }, () => undefined);
    },
    [socket, roomId],
  );

  // Focus on opening a room; on leaving it (or unmounting), tell that room typing stopped.
  useEffect(() => {
    input.current?.focus();
    return () => setTyping(false);
  }, [setTyping]);

  const tooLong = codePointLength(draft) > LIMITS.messageTextMax;
  // The server refuses text with nothing visible (only spaces or zero-width characters): so does Send.
  // With files, the text may be empty; a file still uploading or refused holds the message back.
  const hasText = hasVisibleCharacter(draft);
  const canSend = (hasText || attachments.files.length > 0) && !tooLong && !attachments.uploading && !attachments.failed;

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend) return;
    onSend(hasText ? draft : '', attachments.files);
    attachments.clear();
    setDraft(roomId, '');
    setTyping(false);
    input.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing || completion.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      send();
    } else if (event.key === 'ArrowUp' && draft === '' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      const last = myLastMessageId(queryClient, roomId);
      if (!last) return;
      event.preventDefault();
      useChatStore.getState().setEditing(last);
    }
  };

  return (
    <form className="composer" onSubmit={send}>
      {attachments.list}
      {attachments.attachButton}
      <label htmlFor={`composer-${roomId}`} className="visually-hidden">
        Message
      </label>
      <textarea
        id={`composer-${roomId}`}
        ref={input}
        rows={1}
        placeholder="Write a message"
        value={draft}
        onChange={(e) => {
          setDraft(roomId, e.target.value);
          setTyping(e.target.value.length > 0);
          completion.inputProps.onSelect();
        }}
        onKeyDown={onKeyDown}
        onPaste={attachments.onPaste}
        aria-invalid={tooLong}
        {...completion.inputProps}
      />
      {completion.list}
      <button type="submit" className="primary" disabled={!canSend}>
        Send
      </button>
      {tooLong && (
        <p role="alert" className="error small composer__error">
          Messages can be at most {LIMITS.messageTextMax} characters.
        </p>
      )}
    </form>
  );
}
