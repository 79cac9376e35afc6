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

/** Rows for messages ascending by seq, then the pending sends; `day` is set where a new day starts. */
export function toRows(messages: readonly Message[], pending: readonly OutgoingMessage[]): Row[] {
  let previousDay: string | null = null;
  const rows: Row[] = messages.map((message) => {
    const day = dayFormat.format(new Date(message.createdAt));
    const row: Row = { kind: 'message', key: `m:${message.id}`, message, day: day === previousDay ? null : day };
    previousDay = day;
    return row;
  });
  for (const message of pending) rows.push({ kind: 'pending', key: `p:${message.clientMsgId}`, message });
  return rows;
}

export function RowContent({ row, context }: { row: Row; context: RowContext }) {
  // flow-root keeps the children's margins inside the row, so the row's measured height is its real one.
  if (row.kind === 'pending') {
    return (
      <div className="chat-log__row">
        <PendingItem message={row.message} username={context.meUsername} onRetry={() => context.onRetry(row.message.clientMsgId)} />
      </div>
    );
  }
  return (
    <div className="chat-log__row">
      {row.day !== null && (
        <div role="separator" className="day-separator">
          <span>{row.day}</span>
        </div>
      )}
      <MessageItem message={row.message} mine={row.message.author.id === context.meId} />
    </div>
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
