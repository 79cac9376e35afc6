import { useLayoutEffect, useRef, type ReactNode } from 'react';
import type { Message } from '@parley/protocol';
import type { Components } from 'react-virtuoso';
import type { OutgoingMessage } from '../chat.store';
import { MessageItem, PendingItem } from './message-item';

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

/** One row of the virtualised log: a stored message (after a day separator when the day changes) or a pending send. */
export type Row =
  { kind: 'message'; key: string; message: Message; day: string | null } | { kind: 'pending'; key: string; message: OutgoingMessage };

/** What the rows, header and footer need from the list (Virtuoso's `context`). */
export interface RowContext {
  meId: string;
  meUsername: string;
  hasOlder: boolean;
  hasNewer: boolean;
  /** Stored messages held (the beginning of the room is shown only above some). */
  hasMessages: boolean;
  /** Nothing to show at all: no stored message and no pending send. */
  empty: boolean;
  onRetry: (clientMsgId: string) => void;
}

/**
 * Rows for messages ascending by seq, then the pending sends; `day` is set where a new day starts.
 * The oldest row held gets a day only at the beginning of the room (`hasOlder` false): above it
 * the day is not known yet, and a separator that went away when the older page came in would
 * move the row the reader is looking at.
 */
export function toRows(messages: readonly Message[], pending: readonly OutgoingMessage[], hasOlder = false): Row[] {
  let previousDay: string | null = null;
  const rows: Row[] = messages.map((message, i) => {
    const day = dayFormat.format(new Date(message.createdAt));
    const known = i > 0 || !hasOlder;
    const row: Row = { kind: 'message', key: `m:${message.id}`, message, day: known && day !== previousDay ? day : null };
    previousDay = day;
    return row;
  });
  for (const message of pending) rows.push({ kind: 'pending', key: `p:${message.clientMsgId}`, message });
  return rows;
}

/**
 * A row whose height is a whole number of pixels. Virtuoso measures rows in whole pixels, and keeps
 * the reader in place by those numbers when rows above are measured; a row of 57.6 px counted as
 * 58 would move the reader by the difference, and a page of them by pixels. So each row is padded
 * up to the next whole pixel. flow-root keeps the content's margins inside what is measured.
 */
function WholePixelRow({ children }: { children: ReactNode }) {
  const row = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const outer = row.current;
    const inner = content.current;
    if (!outer || !inner || typeof ResizeObserver === 'undefined') return;
    const fit = () => {
      outer.style.minHeight = `${Math.ceil(inner.getBoundingClientRect().height)}px`;
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(inner);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={row} className="chat-log__row">
      <div ref={content} className="chat-log__row-content">
        {children}
      </div>
    </div>
  );
}

export function RowContent({ row, context }: { row: Row; context: RowContext }) {
  if (row.kind === 'pending') {
    return (
      <WholePixelRow>
        <PendingItem message={row.message} username={context.meUsername} onRetry={() => context.onRetry(row.message.clientMsgId)} />
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
      <MessageItem message={row.message} mine={row.message.author.id === context.meId} />
    </WholePixelRow>
  );
}

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
