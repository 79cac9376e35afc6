import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { Message, User } from '@parley/protocol';
import type { OutgoingMessage } from '../chat.store';
import { MessageItem, PendingItem } from './message-item';

/** How close to an end (px) counts as being there. */
const NEAR = 48;

/**
 * The scrolling body of a thread: its root (with its reply count), then the replies (a `log` named
 * `Replies`) and my pending ones. Opens at the newest reply and follows new ones while the reader
 * is at the bottom; older pages load on `Load older` or on scrolling near the top, and the reply
 * in view stays where it was when they do.
 */
export function ThreadReplies({
  root,
  replies,
  pending,
  hasOlder,
  status,
  meId,
  me,
  onLoadOlder,
  onRetry,
  highlightSeq,
}: {
  root: ReactNode;
  replies: readonly Message[];
  pending: readonly OutgoingMessage[];
  hasOlder: boolean;
  /** Shown in place of the replies until the first page is there (loading or failed). */
  status: ReactNode;
  meId: string;
  me: User;
  onLoadOlder: () => Promise<void>;
  onRetry: (clientMsgId: string) => void;
  /** A reply to show and mark: older pages load until it is held, then it is scrolled to. */
  highlightSeq?: number | undefined;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  // Where the reader was when an older page was asked for: kept in place when it lands.
  const anchor = useRef<{ firstId: string | undefined; height: number; top: number } | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);

  const loadOlder = () => {
    const el = scroller.current;
    if (!el || loadingOlder || !hasOlder) return;
    anchor.current = { firstId: replies[0]?.id, height: el.scrollHeight, top: el.scrollTop };
    setLoadingOlder(true);
    onLoadOlder()
      .catch(() => undefined)
      .finally(() => setLoadingOlder(false));
  };

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR;
    if (el.scrollTop < NEAR && el.scrollHeight > el.clientHeight) loadOlder();
  };

  // The reply asked for: older pages until it is held (or the thread's start), then into view once.
  const highlightHeld = highlightSeq !== undefined && replies.some((m) => m.seq === highlightSeq);
  const highlightShown = useRef(false);
  useEffect(() => {
    if (highlightSeq === undefined || highlightShown.current) return;
    if (highlightHeld) {
      highlightShown.current = true;
      atBottom.current = false;
      scroller.current?.querySelector(`article[data-seq="${highlightSeq}"]`)?.scrollIntoView({ block: 'center' });
    } else if (hasOlder && !loadingOlder && replies.length > 0 && replies[0]!.seq > highlightSeq) {
      loadOlder();
    }
  });

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const held = anchor.current;
    if (held && held.firstId !== replies[0]?.id) {
      el.scrollTop = held.top + (el.scrollHeight - held.height);
      anchor.current = null;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [replies, pending, root]);

  return (
    <div className="thread__scroller" ref={scroller} onScroll={onScroll}>
      <div className="thread__root">{root}</div>
      <hr className="thread__divider" />
      {status}
      {hasOlder && (
        <button type="button" className="link thread__older" onClick={loadOlder} disabled={loadingOlder}>
          {loadingOlder ? 'Loading older replies…' : 'Load older'}
        </button>
      )}
      <div role="log" aria-label="Replies" className="thread__log">
        {replies.map((message) => (
          <MessageItem key={message.id} message={message} mine={message.author.id === meId} highlighted={message.seq === highlightSeq} />
        ))}
        {pending.map((message) => (
          <PendingItem key={message.clientMsgId} message={message} me={me} onRetry={() => onRetry(message.clientMsgId)} />
        ))}
      </div>
    </div>
  );
}
