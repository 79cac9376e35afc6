import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import type { Message, User } from '@parley/protocol';
import { usePerson } from '../../../lib/people.store';
import { Avatar, shownName } from '../../../lib/person';
import { plural } from '../../../lib/plural';
import { useChatStore, usePendingChanges, type OutgoingMessage } from '../chat.store';
import { enqueueChange } from '../hooks/use-outbox';
import { useMe, useMembership } from '../hooks/use-membership';
import { withPendingChanges } from '../pending-changes';
import { useThreadOpener } from '../thread-context';
import { DeleteMessageDialog } from './delete-message-dialog';
import { Markdown } from './markdown';
import { MessageActions, messagePermissions } from './message-actions';
import { MessageEditor } from './message-editor';
import { MessageFiles } from './message-files';
import { Reactions } from './reactions';
import { VersionsDialog } from './versions-dialog';
import './message-item.css';

/** Its own chunk, with its data: loaded when someone first opens it. */
const EmojiPickerPopup = lazy(() => import('./emoji-picker'));

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

export const DELETED_TEXT = 'This message was deleted';

/** Where the focus goes when editing ends: the room's composer, as after sending. */
function focusComposer(roomId: string): void {
  document.getElementById(`composer-${roomId}`)?.focus();
}

/**
 * A stored message: its author (avatar and name, or, `grouped` under the message above, only the
 * time beside it, the name kept for screen readers), its text (or, once deleted, only `This message
 * was deleted`), edited in place, its reactions, its thread's reply count, and its actions (Edit,
 * Delete, Add reaction, Reply in thread) where I may use them. My changes not acknowledged yet show
 * at once, marked as saving.
 */
export function MessageItem({
  message: stored,
  mine,
  grouped = false,
  highlighted = false,
}: {
  message: Message;
  mine: boolean;
  grouped?: boolean;
  highlighted?: boolean;
}) {
  const me = useMe();
  const author = usePerson(stored.author);
  const meId = me?.id ?? '';
  const changes = usePendingChanges(stored.id);
  const message = useMemo(() => withPendingChanges(stored, changes, meId), [stored, changes, meId]);
  const saving = changes.length > 0;
  const error = useChatStore((s) => s.changeErrors[stored.id]);
  const dismissError = useChatStore((s) => s.dismissChangeError);
  const editing = useChatStore((s) => s.editing === stored.id) && !message.deleted;
  const setEditing = useChatStore((s) => s.setEditing);
  const membership = useMembership(stored.roomId);
  const can = messagePermissions(message, { id: meId, ...membership });
  const threads = useThreadOpener();
  const [dialog, setDialog] = useState<'versions' | 'delete' | 'reaction' | null>(null);
  const [pickerAnchor, setPickerAnchor] = useState<HTMLButtonElement | null>(null);
  const closeDialog = useCallback(() => setDialog(null), []);

  const stopEditing = () => {
    setEditing(null);
    focusComposer(stored.roomId);
  };
  const toggleReaction = (emoji: string, on: boolean) => enqueueChange(stored, { kind: 'reaction', emoji, on });
  const chooseReaction = useCallback(
    (emoji: string) => {
      setDialog(null);
      pickerAnchor?.focus();
      const alreadyMine = message.reactions.some((r) => r.emoji === emoji && r.userIds.includes(meId));
      if (!alreadyMine) enqueueChange(stored, { kind: 'reaction', emoji, on: true });
    },
    [message.reactions, meId, stored, pickerAnchor],
  );

  const at = new Date(message.createdAt);
  const mentionsMe = me !== undefined && !mine && message.mentions.includes(me.id);
  const replies = message.thread?.replyCount ?? 0;
  const classes = [
    'message',
    mine && 'message--mine',
    grouped && 'message--grouped',
    message.deleted && 'message--deleted',
    saving && 'message--saving',
    editing && 'message--editing',
    threads?.openRootId === message.id && 'message--thread-open',
    highlighted && 'message--highlighted',
    mentionsMe && 'message--mentions-me',
  ].filter(Boolean);

  return (
    <article className={classes.join(' ')} data-seq={message.seq} aria-current={highlighted ? 'true' : undefined}>
      {/* The author in the gutter, positioned there: no wrapper elements (a long log holds many rows). */}
      {grouped ? (
        <>
          <span className="visually-hidden">{shownName(author)}</span>
          <time className="message__gutter-time" dateTime={message.createdAt} title={fullFormat.format(at)}>
            {timeFormat.format(at)}
          </time>
        </>
      ) : (
        <Avatar user={author} />
      )}
      {(!grouped || saving || (message.editedAt !== null && !message.deleted)) && (
        <header className="message__meta">
          {!grouped && (
            <>
              <span className="message__author">{shownName(author)}</span>
              <time dateTime={message.createdAt} title={fullFormat.format(at)}>
                {timeFormat.format(at)}
              </time>
            </>
          )}
          {message.editedAt !== null && !message.deleted && (
            <button
              type="button"
              className="link message__edited"
              title={`Edited ${fullFormat.format(new Date(message.editedAt))}: see earlier versions`}
              onClick={() => setDialog('versions')}
            >
              edited
            </button>
          )}
          {saving && <span className="message__status">Saving…</span>}
        </header>
      )}
      {message.deleted ? (
        <p className="message__text message__tombstone">{DELETED_TEXT}</p>
      ) : editing ? (
        <MessageEditor
          text={message.text}
          onSave={(text) => {
            enqueueChange(stored, { kind: 'edit', text });
            stopEditing();
          }}
          onCancel={stopEditing}
        />
      ) : (
        <>
          {/* A message of files only shows only its files. */}
          {message.text !== '' && (
            <div className="message__text">
              <Markdown text={message.text} mentionsOf={mentionsMe ? me.username : undefined} />
            </div>
          )}
          <MessageFiles files={message.files} />
        </>
      )}
      <Reactions reactions={message.reactions} meId={meId} canReact={can.react} onToggle={toggleReaction} />
      {replies > 0 && (
        <button type="button" className="link message__replies" onClick={() => threads?.openThread(message.id)} disabled={!threads}>
          {plural(replies, 'reply', 'replies')}
        </button>
      )}
      {error && (
        <p role="alert" className="message__error">
          <span>{error}</span>{' '}
          <button type="button" className="link" onClick={() => dismissError(stored.id)}>
            Dismiss
          </button>
        </p>
      )}
      {!editing && (
        <MessageActions
          can={can}
          canReply={threads !== null}
          onEdit={() => setEditing(stored.id)}
          onDelete={() => setDialog('delete')}
          onReact={(button) => {
            setPickerAnchor(button);
            setDialog(dialog === 'reaction' ? null : 'reaction');
          }}
          onReply={() => threads?.openThread(message.id)}
        />
      )}
      {dialog === 'versions' && message.editedAt !== null && !message.deleted && <VersionsDialog message={stored} onClose={closeDialog} />}
      {dialog === 'delete' && can.delete && (
        <DeleteMessageDialog
          mine={message.author.id === meId}
          onClose={closeDialog}
          onConfirm={() => {
            setDialog(null);
            enqueueChange(stored, { kind: 'delete' });
          }}
        />
      )}
      {dialog === 'reaction' && can.react && (
        <Suspense
          fallback={
            <div role="dialog" aria-label="Add reaction" aria-busy="true" className="visually-hidden">
              Loading emoji…
            </div>
          }
        >
          <EmojiPickerPopup anchor={pickerAnchor} onSelect={chooseReaction} onClose={closeDialog} />
        </Suspense>
      )}
    </article>
  );
}

/** A send of mine not acknowledged yet (`me` as shown: my display name, else my username). */
export function PendingItem({ message, me, onRetry }: { message: OutgoingMessage; me: User; onRetry: () => void }) {
  const failed = message.status === 'failed';
  return (
    <article className={`message message--mine message--${message.status}`}>
      <Avatar user={me} />
      <header className="message__meta">
        <span className="message__author">{shownName(me)}</span>
        <span className="message__status">{failed ? 'Not sent' : 'Sending…'}</span>
      </header>
      {message.text !== '' && (
        <div className="message__text">
          <Markdown text={message.text} />
        </div>
      )}
      {message.files && <MessageFiles files={message.files} />}
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
