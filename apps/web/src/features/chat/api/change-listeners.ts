// Who hears the change stream: every message state it brings, told by message-changes.api.ts.
import type { Message } from '@parley/protocol';

type ChangeListener = (message: Message) => void;
const changeListeners = new Set<ChangeListener>();

/**
 * Tells `listener` every message state the change stream brings (live `message:created` and
 * `message:updated`, acks of my changes, catch-up answers), replies included: the thread panel
 * keeps its own caches with it, and a room's first page collects what arrives while it loads.
 * Returns the unsubscribe function.
 */
export function subscribeToMessageChanges(listener: ChangeListener): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

/** Tells every listener a message state (see subscribeToMessageChanges). */
export function tellMessageChange(message: Message): void {
  for (const listener of changeListeners) listener(message);
}
