import type { Message, Reaction } from '@parley/protocol';
import type { PendingChange } from './chat.store';

/** A reaction list with my reaction to `emoji` set or taken back (pure; an emoji nobody has left goes). */
export function toggleReaction(reactions: readonly Reaction[], emoji: string, userId: string, on: boolean): Reaction[] {
  const existing = reactions.find((r) => r.emoji === emoji);
  if (on) {
    if (existing?.userIds.includes(userId)) return reactions as Reaction[];
    if (!existing) return [...reactions, { emoji, userIds: [userId] }];
    return reactions.map((r) => (r === existing ? { ...r, userIds: [...r.userIds, userId] } : r));
  }
  if (!existing?.userIds.includes(userId)) return reactions as Reaction[];
  return reactions
    .map((r) => (r === existing ? { ...r, userIds: r.userIds.filter((id) => id !== userId) } : r))
    .filter((r) => r.userIds.length > 0);
}

/**
 * A message as it will be once my pending changes to it apply, in the order made: the edited
 * text, the tombstone, my reactions set or taken back. What shows until the server acknowledges them.
 */
export function withPendingChanges(message: Message, changes: readonly PendingChange[], meId: string): Message {
  let result = message;
  for (const change of changes) {
    if (result.deleted) break;
    switch (change.kind) {
      case 'edit':
        result = { ...result, text: change.text };
        break;
      case 'delete':
        result = { ...result, deleted: true, text: '', editedAt: null, reactions: [], mentions: [], files: [] };
        break;
      case 'reaction':
        result = { ...result, reactions: toggleReaction(result.reactions, change.emoji, meId, change.on) };
        break;
    }
  }
  return result;
}
