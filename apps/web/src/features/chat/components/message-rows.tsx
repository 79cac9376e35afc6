import { memo, useLayoutEffect, useRef } from 'react';
import type { Message, User } from '@parley/protocol';
import type { Components } from 'react-virtuoso';
import type { OutgoingMessage } from '../chat.store';
import { continuesGroup } from '../message-grouping';
import { MessageItem, PendingItem } from './message-item';
import { WholePixelRow } from './whole-pixel-row';

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

/**
 * One row of the virtualised log: a stored message (after a day separator when the day changes,
 * and the `New messages` separator when it is the first unread; `grouped` when it continues the
 * group of the message above, shown without its name and avatar) or a pending send.
 */
export type Row =
  | { kind: 'message'; key: string; message: Message; day: string | null; firstUnread?: boolean; grouped?: boolean }
  | { kind: 'pending'; key: string; message: OutgoingMessage };

/** What the rows, header and footer need from the list (Virtuoso's `context`). */
export interface RowContext {
  meId: string;
  me: User;
  hasOlder: boolean;
  hasNewer: boolean;
  /** Stored messages held (the beginning of the room is shown only above some). */
  hasMessages: boolean;
  /** Nothing to show at all: no stored message and no pending send. */
  empty: boolean;
  onRetry: (clientMsgId: string) => void;
  /** Told whether the `New messages` separator is on screen (false when it leaves the DOM). */
  onFirstUnreadVisible?: (visible: boolean) => void;
  /** The message highlighted (a search result opened). */
  highlightSeq?: number | undefined;
}

/**
 * The index of the first unread message held: the first after `readMarker` (the newest seq read)
 * whose previous message is held and read, or that is the first of the room. -1 when none (or
 * when the window starts past the marker with older history unfetched: where it is is unknown).
 */
export function firstUnreadIndex(messages: readonly Message[], readMarker: number | undefined, hasOlder: boolean): number {
  if (readMarker === undefined) return -1;
  const index = messages.findIndex((m) => m.seq > readMarker);
  if (index < 0 || (index === 0 && hasOlder)) return -1;
  return index;
}

/**
 * Rows for messages ascending by seq, then the pending sends; `day` is set where a new day starts,
 * `firstUnread` on the row at `unreadIndex` (see firstUnreadIndex), `grouped` on a row that
 * continues the group above it (see continuesGroup; a separator starts a new group).
 * The oldest row held gets a day only at the beginning of the room (`hasOlder` false): above it
 * the day is not known yet, and a separator that went away when the older page came in would
 * move the row the reader is looking at. It starts a group (shows its author) until the page above
 * is in; that change is above the view, where `useReadingAnchor` keeps the reader in place.
 */
export function toRows(messages: readonly Message[], pending: readonly OutgoingMessage[], hasOlder = false, unreadIndex = -1): Row[] {
  let previousDay: string | null = null;
  const rows: Row[] = messages.map((message, i) => {
    const day = dayFormat.format(new Date(message.createdAt));
    const known = i > 0 || !hasOlder;
    const row: Row = { kind: 'message', key: `m:${message.id}`, message, day: known && day !== previousDay ? day : null };
    if (i === unreadIndex) row.firstUnread = true;
    if (row.day === null && i !== unreadIndex && continuesGroup(messages[i - 1], message)) row.grouped = true;
    previousDay = day;
    return row;
  });
  for (const message of pending) rows.push({ kind: 'pending', key: `p:${message.clientMsgId}`, message });
  return rows;
}

/**
 * `New messages` above the first unread message. Reports whether it is on screen (an
 * IntersectionObserver, where there is one; otherwise being in the DOM counts), and that it is not
 * once virtualised away.
 */
function UnreadSeparator({ onVisible }: { onVisible: ((visible: boolean) => void) | undefined }) {
  const element = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const target = element.current;
    if (!target || !onVisible) return;
    if (typeof IntersectionObserver === 'undefined') {
      onVisible(true);
      return () => onVisible(false);
    }
    const observer = new IntersectionObserver((entries) => {
      const entry = entries.at(-1);
      if (entry) onVisible(entry.isIntersecting);
    });
    observer.observe(target);
    return () => {
      observer.disconnect();
      onVisible(false);
    };
  }, [onVisible]);
  return (
    <div ref={element} role="separator" aria-label="New messages" className="unread-separator">
      <span aria-hidden="true">New messages</span>
    </div>
  );
}

function RowView({ row, context }: { row: Row; context: RowContext }) {
  if (row.kind === 'pending') {
    return (
      <WholePixelRow>
        <PendingItem message={row.message} me={context.me} onRetry={() => context.onRetry(row.message.clientMsgId)} />
      </WholePixelRow>
    );
  }
  return (
    <WholePixelRow>
      {row.day !== null && (
        <div role="separator" className="day-separator">
          <span>{row.day}</span>
        </div>
      )}
      {row.firstUnread && <UnreadSeparator onVisible={context.onFirstUnreadVisible} />}
      <MessageItem
        message={row.message}
        mine={row.message.author.id === context.meId}
        grouped={row.grouped === true}
        highlighted={row.message.seq === context.highlightSeq}
      />
    </WholePixelRow>
  );
}

/** Whether a row would render the same: the same row (its fields, the message object itself) and the same parts of the context it uses. */
function sameRow(a: { row: Row; context: RowContext }, b: { row: Row; context: RowContext }): boolean {
  const x = a.row;
  const y = b.row;
  const sameFields =
    x === y ||
    (x.kind === 'message' && y.kind === 'message'
      ? x.message === y.message && x.day === y.day && x.firstUnread === y.firstUnread && x.grouped === y.grouped
      : x.kind === 'pending' && y.kind === 'pending' && x.message === y.message);
  const c = a.context;
  const d = b.context;
  return (
    sameFields &&
    x.key === y.key &&
    c.meId === d.meId &&
    c.me === d.me &&
    c.onRetry === d.onRetry &&
    c.onFirstUnreadVisible === d.onFirstUnreadVisible &&
    c.highlightSeq === d.highlightSeq
  );
}

/**
 * One row of the log. Memoised: Virtuoso renders every row it shows again on each scroll step (and
 * the list passes a new context each render), while a row changes only with its message or the few
 * context fields it reads; everything live inside it (people, pending changes) has its own subscription.
 */
export const RowContent = memo(RowView, sameRow);

/** Above the oldest row: whether older history is still to come. One line either way, so its height never changes. */
const Header: Components<Row, RowContext>['Header'] = ({ context }) => (
  <div className="chat-log__note">
    {context?.hasOlder ? (
      <p className="muted small center">Loading older messages…</p>
    ) : (
      context?.hasMessages && <p className="muted small center">This is the beginning of the room.</p>
    )}
  </div>
);

const Footer: Components<Row, RowContext>['Footer'] = ({ context }) => (
  <div className="chat-log__note">
    {context?.hasNewer && <p className="muted small center">Loading newer messages…</p>}
    {context?.empty && <p className="muted center">No messages yet. Say hello!</p>}
  </div>
);

/** Stable component overrides for Virtuoso (a new object each render would remount them). */
export const rowComponents: Components<Row, RowContext> = { Header, Footer };
