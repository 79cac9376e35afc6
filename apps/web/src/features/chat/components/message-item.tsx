import type { Message } from '@parley/protocol';
import type { OutgoingMessage } from '../chat.store';
import { Markdown } from './markdown';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

export function MessageItem({ message, mine }: { message: Message; mine: boolean }) {
  const at = new Date(message.createdAt);
  return (
    <article className={`message ${mine ? 'message--mine' : ''}`} data-seq={message.seq}>
      <header className="message__meta">
        <span className="message__author">{message.author.username}</span>
        <time dateTime={message.createdAt} title={fullFormat.format(at)}>
          {timeFormat.format(at)}
        </time>
      </header>
      <div className="message__text">
        <Markdown text={message.text} />
      </div>
    </article>
  );
}

export function PendingItem({ message, username, onRetry }: { message: OutgoingMessage; username: string; onRetry: () => void }) {
  const failed = message.status === 'failed';
  return (
    <article className={`message message--mine message--${message.status}`}>
      <header className="message__meta">
        <span className="message__author">{username}</span>
        <span className="message__status">{failed ? 'Not sent' : 'Sending…'}</span>
      </header>
      <div className="message__text">
        <Markdown text={message.text} />
      </div>
      {failed && (
        <p className="message__error">
          <span>{message.error}</span>{' '}
          <button type="button" className="link" onClick={onRetry}>
            Retry
          </button>
        </p>
      )}
    </article>
  );
}
