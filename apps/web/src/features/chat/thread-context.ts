import { createContext, useContext } from 'react';

/**
 * How a message opens its thread: the chat view provides it (the thread panel beside the room),
 * message actions (`Reply in thread`, `N replies`) call it. Null outside a chat view.
 */
export interface ThreadOpener {
  /** Opens the thread of this top-level message of the current room. */
  openThread(rootId: string): void;
  /** The root of the thread open now, if any. */
  openRootId: string | null;
}

export const ThreadOpenerContext = createContext<ThreadOpener | null>(null);

export function useThreadOpener(): ThreadOpener | null {
  return useContext(ThreadOpenerContext);
}
