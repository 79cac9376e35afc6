import { Fragment, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Message } from '@parley/protocol';
import { plural } from '../../../lib/plural';
import type { OutgoingMessage } from '../chat.store';
import { MessageItem, PendingItem } from './message-item';

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const NEAR_BOTTOM_PX = 48;
const NEAR_TOP_PX = 240;

interface Props {
  messages: Message[];
  pending: OutgoingMessage[];
  meId: string;
  meUsername: string;
  hasOlder: boolean;
  onLoadOlder: () => Promise<void>;
  onRetry: (clientMsgId: string) => void;
  /** Told whether the newest message is in view. */
  onAtBottomChange: (atBottom: boolean) => void;
}

/**
 * The scrolling message log. Opens at the newest message, loads older pages near the top
 * without moving what is on screen, follows new messages while at the bottom, and offers a
 * jump to the newest when scrolled up.
 */
export function MessageList({ messages, pending, meId, meUsername, hasOlder, onLoadOlder, onRetry, onAtBottomChange }: Props) {
  const log = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const loadingOlder = useRef(false);
  const previous = useRef<{ firstSeq?: number; lastSeq?: number; scrollHeight: number; pending: number } | null>(null);

  const firstSeq = messages[0]?.seq;
  const lastSeq = messages.at(-1)?.seq;

  // Places the scroll when the list changes at either end or gains a send (and on the first render);
  // any other render leaves it where the reader put it.
  useLayoutEffect(() => {
    const seen = previous.current;
    if (seen && firstSeq === seen.firstSeq && lastSeq === seen.lastSeq && pending.length === seen.pending) return;
    const prev = seen ?? { scrollHeight: 0, pending: 0 };
    const el = log.current;
    if (!el) return;
    if (prev.firstSeq !== undefined && firstSeq !== undefined && firstSeq < prev.firstSeq && lastSeq === prev.lastSeq) {
      // Older messages were put above: keep the same messages under the reader's eyes.
      el.scrollTop += el.scrollHeight - prev.scrollHeight;
    } else if (atBottom || prev.lastSeq === undefined || pending.length > prev.pending) {
      el.scrollTop = el.scrollHeight;
    } else if (lastSeq !== undefined && prev.lastSeq !== undefined && lastSeq > prev.lastSeq) {
      setUnseen((n) => n + messages.filter((m) => m.seq > prev.lastSeq! && m.author.id !== meId).length);
    }
    previous.current = { firstSeq, lastSeq, scrollHeight: el.scrollHeight, pending: pending.length };
  }, [firstSeq, lastSeq, pending.length, atBottom, messages, meId]);

  useEffect(() => {
    onAtBottomChange(atBottom);
  }, [atBottom, onAtBottomChange]);

  /** Back at the newest message, nothing is unseen any more. */
  const updateAtBottom = (value: boolean) => {
    setAtBottom(value);
    if (value) setUnseen(0);
  };

  const maybeLoadOlder = async () => {
    const el = log.current;
    if (!el || !hasOlder || loadingOlder.current || el.scrollTop > NEAR_TOP_PX) return;
    loadingOlder.current = true;
    try {
      await onLoadOlder();
    } finally {
      loadingOlder.current = false;
    }
  };

  // A first page that does not fill the screen cannot be scrolled: load more until it does.
  useEffect(() => {
    const el = log.current;
    if (el && hasOlder && el.scrollHeight <= el.clientHeight) void maybeLoadOlder();
  });

  const onScroll = () => {
    const el = log.current;
    if (!el) return;
    updateAtBottom(el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX);
    void maybeLoadOlder();
  };

  const jumpToNewest = () => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
    updateAtBottom(true);
  };

  const days = messages.map((message) => dayFormat.format(new Date(message.createdAt)));
  return (
    <div className="message-list">
      <div ref={log} role="log" aria-label="Messages" className="message-list__log" onScroll={onScroll} tabIndex={0}>
        {!hasOlder && messages.length > 0 && <p className="muted small center">This is the beginning of the room.</p>}
        {hasOlder && <p className="muted small center">Loading older messages…</p>}
        {messages.map((message, i) => {
          const day = days[i]!;
          return (
            <Fragment key={message.id}>
              {day !== days[i - 1] && (
                <div role="separator" className="day-separator">
                  <span>{day}</span>
                </div>
              )}
              <MessageItem message={message} mine={message.author.id === meId} />
            </Fragment>
          );
        })}
        {pending.map((message) => (
          <PendingItem key={message.clientMsgId} message={message} username={meUsername} onRetry={() => onRetry(message.clientMsgId)} />
        ))}
        {messages.length === 0 && pending.length === 0 && <p className="muted center">No messages yet. Say hello!</p>}
      </div>
      {!atBottom && (
        <button type="button" className="jump" onClick={jumpToNewest}>
          {unseen > 0 ? plural(unseen, 'new message') : 'Jump to newest'}
        </button>
      )}
    </div>
  );
}
