import type { Message } from '@parley/protocol';

/** Consecutive messages of one author this close together show under one name, as Slack and Discord do. */
export const GROUP_WINDOW_MS = 5 * 60_000;

/** A thread root stands on its own: its replies button ends what it says, and the next message starts again. */
const isThreadRoot = (message: Message) => (message.thread?.replyCount ?? 0) > 0;

/**
 * Whether `message` continues the group of `previous` (the message just above it, in the same run:
 * no day or `New messages` separator between them): same author, less than GROUP_WINDOW_MS later,
 * neither deleted (a tombstone shows who it was, a grouped one would not) nor a thread root.
 */
export function continuesGroup(previous: Message | undefined, message: Message): boolean {
  if (!previous || previous.author.id !== message.author.id) return false;
  if (previous.deleted || message.deleted || isThreadRoot(previous) || isThreadRoot(message)) return false;
  const gap = Date.parse(message.createdAt) - Date.parse(previous.createdAt);
  return gap >= 0 && gap < GROUP_WINDOW_MS;
}
