import type { Message, RoomRole } from '@parley/protocol';

/** What I may do with a message: each action shows only where the server would allow it. */
export interface MessagePermissions {
  edit: boolean;
  delete: boolean;
  react: boolean;
  reply: boolean;
}

/**
 * Edit: my own message. Delete: my own, or any for an owner or admin of the room. React: any
 * member. Reply in thread: a top-level message, for members. Nothing on a deleted message, nor in a
 * room I have not joined.
 */
export function messagePermissions(
  message: Pick<Message, 'author' | 'deleted' | 'threadRootId'>,
  me: { id: string; joined: boolean; role: RoomRole | null },
): MessagePermissions {
  if (message.deleted || !me.joined) return { edit: false, delete: false, react: false, reply: false };
  const mine = message.author.id === me.id;
  return {
    edit: mine,
    delete: mine || me.role === 'owner' || me.role === 'admin',
    react: true,
    reply: !message.threadRootId,
  };
}

/**
 * A message's action buttons (their icons drawn by CSS from data-icon, to keep each message's DOM
 * small in long lists): shown on hover and while the focus is in the message (CSS), always in
 * the DOM so Tab reaches them. Names are what people (and the end-to-end tests) look for.
 */
export function MessageActions({
  can,
  canReply,
  onEdit,
  onDelete,
  onReact,
  onReply,
}: {
  can: MessagePermissions;
  /** Replying needs a thread panel to open (a chat view around the message). */
  canReply: boolean;
  onEdit: () => void;
  onDelete: () => void;
  /** Told the button, to place the emoji picker by it. */
  onReact: (button: HTMLButtonElement) => void;
  onReply: () => void;
}) {
  if (!can.edit && !can.delete && !can.react && !(can.reply && canReply)) return null;
  return (
    <div className="message__actions" role="group" aria-label="Message actions">
      {can.react && (
        <button
          type="button"
          className="message__action"
          aria-label="Add reaction"
          title="Add reaction"
          aria-haspopup="dialog"
          onClick={(e) => onReact(e.currentTarget)}
          data-icon="☺"
        />
      )}
      {can.reply && canReply && (
        <button
          type="button"
          className="message__action"
          aria-label="Reply in thread"
          title="Reply in thread"
          onClick={onReply}
          data-icon="↩"
        />
      )}
      {can.edit && <button type="button" className="message__action" aria-label="Edit" title="Edit" onClick={onEdit} data-icon="✎" />}
      {can.delete && (
        <button
          type="button"
          className="message__action message__action--danger"
          aria-label="Delete"
          title="Delete"
          onClick={onDelete}
          data-icon="🗑"
        />
      )}
    </div>
  );
}
