import { LIMITS, type MessageFile, type Reaction, type ThreadSummary } from '@parley/protocol';
import type { MessageRecord, MutationRefusal, NewMessage } from './storage.js';

/**
 * What a change does to a stored message, decided once for both drivers from the message's
 * current state (read inside the change's transaction, under the room's write lock). A driver
 * stores a `changed` plan with the room's next rev; `unchanged` and `refused` store nothing.
 */
export type Plan<Extra = object> =
  | ({ kind: 'changed'; message: MessageRecord } & Extra)
  | { kind: 'unchanged'; message: MessageRecord }
  | { kind: 'refused'; reason: MutationRefusal };

const refused = (reason: MutationRefusal) => ({ kind: 'refused', reason }) as const;
const unchanged = (message: MessageRecord) => ({ kind: 'unchanged', message }) as const;

/** A new message as append stores it, with the ids of the members it mentions and the files sent with it. */
export function newMessage(
  message: NewMessage,
  seq: number,
  rev: number,
  mentions: string[] = [],
  files: MessageFile[] = [],
): MessageRecord {
  const { id, roomId, author, clientMsgId, text, createdAt } = message;
  return {
    id,
    roomId,
    seq,
    author,
    text,
    clientMsgId,
    createdAt,
    rev,
    editedAt: null,
    deleted: false,
    threadRootId: message.threadRootId ?? null,
    thread: null,
    reactions: [],
    mentions,
    files,
  };
}

/**
 * The files a message is sent with, in the order of `fileIds`, from those of its rows that may be
 * sent with it (the author's unsent uploads to its room); null when any is missing (or named
 * twice): the send is refused ('files-unavailable').
 */
export function filesInOrder(fileIds: readonly string[], claimable: readonly MessageFile[]): MessageFile[] | null {
  if (new Set(fileIds).size !== fileIds.length) return null;
  const byId = new Map(claimable.map((file) => [file.id, file]));
  const files = fileIds.map((id) => byId.get(id));
  return files.every((file) => file !== undefined) ? files : null;
}

/**
 * Who follows a thread once `message` is stored (mentioning `mentioned`), each with the read
 * marker their follow starts from: the mentioned; for a reply also its root's author and its own
 * author, who has read up to it. Follows only ever start: a later edit or delete ends none.
 */
export function followsOf(
  message: MessageRecord,
  mentioned: readonly string[],
  rootAuthorId: string | null,
  sent = true,
): Map<string, number> {
  const follows = new Map<string, number>(mentioned.map((id) => [id, 0]));
  // An edit starts the follows of the newly mentioned only.
  if (message.threadRootId === null || !sent) return follows;
  if (rootAuthorId !== null && !follows.has(rootAuthorId)) follows.set(rootAuthorId, 0);
  follows.set(message.author.id, message.seq);
  return follows;
}

/** The thread a message belongs to: its root's, or its own when it is top-level. */
export const threadOf = (message: MessageRecord): string => message.threadRootId ?? message.id;

/** Why a reply to `root` (null: none in the room) is refused, or null when it may be stored. */
export function replyRefusal(root: MessageRecord | null): MutationRefusal | null {
  if (!root) return 'not-found';
  if (root.threadRootId !== null) return 'not-top-level';
  if (root.deleted) return 'deleted';
  return null;
}

/** The root once `reply` is stored in its thread. */
export function withReply(root: MessageRecord, reply: MessageRecord, rev: number): MessageRecord {
  const thread: ThreadSummary = { replyCount: (root.thread?.replyCount ?? 0) + 1, lastReplyAt: reply.createdAt, lastReplySeq: reply.seq };
  return { ...root, thread, rev };
}

/** An edit: the previous text is kept as a version, with the time it was set. */
export function planEdit(
  current: MessageRecord | null,
  text: string,
  editedAt: string,
  /** The members the new text mentions (asked only when the text changes). */
  mentionsOf: (authorId: string) => string[] = () => [],
): Plan<{ previous: { text: string; setAt: string } }> {
  if (!current) return refused('not-found');
  if (current.deleted) return refused('deleted');
  if (current.text === text) return unchanged(current);
  return {
    kind: 'changed',
    message: { ...current, text, editedAt, mentions: mentionsOf(current.author.id) },
    previous: { text: current.text, setAt: current.editedAt ?? current.createdAt },
  };
}

/** A delete: a tombstone keeping seq, author, times of creation, clientMsgId and thread. */
export function planDelete(current: MessageRecord | null): Plan {
  if (!current) return refused('not-found');
  if (current.deleted) return unchanged(current);
  return {
    kind: 'changed',
    message: { ...current, text: '', editedAt: null, deleted: true, reactions: [], mentions: [], files: [] },
  };
}

/**
 * A reaction on or off: the user's id is appended to the emoji's users (a new emoji goes last),
 * or removed (an emoji nobody uses any more goes).
 */
export function planReaction(current: MessageRecord | null, userId: string, emoji: string, on: boolean): Plan {
  if (!current) return refused('not-found');
  if (current.deleted) return on ? refused('deleted') : unchanged(current);
  const existing = current.reactions.find((r) => r.emoji === emoji);
  const mine = existing?.userIds.includes(userId) ?? false;
  if (mine === on) return unchanged(current);
  let reactions: Reaction[];
  if (!on) {
    reactions = current.reactions
      .map((r) => (r.emoji === emoji ? { emoji, userIds: r.userIds.filter((id) => id !== userId) } : r))
      .filter((r) => r.userIds.length > 0);
  } else if (existing) {
    reactions = current.reactions.map((r) => (r.emoji === emoji ? { emoji, userIds: [...r.userIds, userId] } : r));
  } else {
    if (current.reactions.length >= LIMITS.reactionsPerMessageMax) return refused('too-many-reactions');
    reactions = [...current.reactions, { emoji, userIds: [userId] }];
  }
  return { kind: 'changed', message: { ...current, reactions } };
}
