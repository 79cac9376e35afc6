import { useCallback, useEffect, useRef, type FormEvent, type KeyboardEvent } from 'react';
import { LIMITS, codePointLength, hasVisibleCharacter } from '@parley/protocol';
import { useSocket } from '../../../lib/socket-context';
import { useChatStore } from '../chat.store';

const TYPING_IDLE_MS = 3_000;

/** Enter sends, Shift+Enter adds a line. Tells the room while the user types. */
export function Composer({ roomId, onSend }: { roomId: string; onSend: (text: string) => void }) {
  const socket = useSocket();
  const draft = useChatStore((s) => s.drafts[roomId] ?? '');
  const setDraft = useChatStore((s) => s.setDraft);
  const input = useRef<HTMLTextAreaElement>(null);
  const typing = useRef<{ active: boolean; idle?: ReturnType<typeof setTimeout> }>({ active: false });

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
  const canSend = hasVisibleCharacter(draft) && !tooLong;

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend) return;
    onSend(draft);
    setDraft(roomId, '');
    setTyping(false);
    input.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return (
    <form className="composer" onSubmit={send}>
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
        }}
        onKeyDown={onKeyDown}
        aria-invalid={tooLong}
      />
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
