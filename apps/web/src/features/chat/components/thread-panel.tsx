import { useCallback, useEffect, useMemo, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Message, User } from '@parley/protocol';
import { QueryStatus } from '../../../lib/query-status';
import { useSocket } from '../../../lib/socket-context';
import { loadOlderReplies } from '../api/thread.api';
import { useChatStore, usePendingSends, type OutgoingMessage } from '../chat.store';
import { useSendMessage } from '../hooks/use-outbox';
import { useThread, type RootStatus } from '../hooks/use-thread';
import { useThreadEvents } from '../hooks/use-thread-events';
import { useThreadRead } from '../hooks/use-thread-read';
import { MessageItem } from './message-item';
import { ThreadComposer } from './thread-composer';
import { ThreadReplies } from './thread-replies';
import './thread-panel.css';

const NO_REPLIES: Message[] = [];
const ROOT_NOTES: Record<Exclude<RootStatus, 'ready'>, ReactNode> = {
  loading: <p className="muted small">Loading the message…</p>,
  failed: (
    <p role="alert" className="error small">
      Could not load the message this thread belongs to.
    </p>
  ),
  missing: <p className="muted small">The message this thread belongs to is not available.</p>,
};

/**
 * An open thread, beside the room (or in its place on a narrow screen): a `complementary` landmark
 * named `Thread` with the root, its replies, my pending replies and the `Reply` composer. While it
 * is open and `visible`, my read marker in it follows the newest reply.
 */
export function ThreadPanel({
  roomId,
  rootId,
  rootSeq,
  replySeq,
  roomName,
  joined,
  visible,
  me,
  onClose,
}: {
  roomId: string;
  rootId: string;
  rootSeq: number | undefined;
  replySeq?: number | undefined;
  roomName: ReactNode;
  joined: boolean;
  visible: boolean;
  me: User;
  onClose: () => void;
}) {
  const socket = useSocket();
  const queryClient = useQueryClient();
  const { replies, root, rootStatus } = useThread(roomId, rootId, rootSeq);
  useThreadEvents(roomId, rootId);
  const held = replies.data?.replies ?? NO_REPLIES;
  useThreadRead(roomId, rootId, held.at(-1)?.seq ?? 0, visible && joined && replies.isSuccess);

  const pending = usePendingReplies(roomId, rootId, held, me.id);
  const send = useSendMessage(roomId, rootId);
  const retry = useChatStore((s) => s.retry);
  const onLoadOlder = useCallback(() => loadOlderReplies(socket, queryClient, roomId, rootId), [socket, queryClient, roomId, rootId]);

  let closedNote: string | undefined;
  if (!joined) closedNote = 'Join the room to reply.';
  else if (root?.deleted) closedNote = 'Replies are closed: the message this thread belongs to was deleted.';

  return (
    <aside className="thread" aria-label="Thread">
      <header className="thread__header">
        <h2>Thread</h2>
        <span className="muted small thread__room">{roomName}</span>
        <button type="button" className="icon thread__close" aria-label="Close thread" title="Close thread" onClick={onClose}>
          ×
        </button>
      </header>
      <ThreadReplies
        root={
          root ? <MessageItem message={root} mine={root.author.id === me.id} /> : ROOT_NOTES[rootStatus as Exclude<RootStatus, 'ready'>]
        }
        replies={held}
        pending={pending}
        hasOlder={replies.data?.hasOlder ?? false}
        status={<QueryStatus query={replies} loading="Loading replies…" failed="Could not load the replies." className="small" />}
        meId={me.id}
        me={me}
        onLoadOlder={onLoadOlder}
        onRetry={retry}
        highlightSeq={replySeq}
      />
      <ThreadComposer roomId={roomId} rootId={rootId} onSend={send} closedNote={closedNote} />
    </aside>
  );
}

/**
 * My replies to this thread still in the outbox. One stored before its ack could arrive (a reload,
 * a cut connection) shows up among the replies while still in the outbox: it shows once, as
 * stored, and is settled.
 */
function usePendingReplies(roomId: string, rootId: string, replies: readonly Message[], meId: string): OutgoingMessage[] {
  const outbox = usePendingSends(roomId, rootId);
  const settle = useChatStore((s) => s.settle);
  const stored = useMemo(() => new Set(replies.filter((m) => m.author.id === meId).map((m) => m.clientMsgId)), [replies, meId]);
  useEffect(() => {
    for (const message of outbox) if (stored.has(message.clientMsgId)) settle(message.clientMsgId);
  }, [outbox, stored, settle]);
  return useMemo(() => outbox.filter((m) => !stored.has(m.clientMsgId)), [outbox, stored]);
}
