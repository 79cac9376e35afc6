import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { Message } from '@parley/protocol';
import { request, type ParleySocket } from '../../../lib/socket';

export const THREAD_PAGE_SIZE = 50;

/**
 * A thread's replies as held by this client: a contiguous run of them up to the newest, ascending
 * by seq, each once, each in the newest state seen (highest rev).
 */
export interface ThreadReplies {
  replies: Message[];
  /** True while older replies than the oldest held may exist (the last page fetched was full). */
  hasOlder: boolean;
}

/** Apart from the room's own `messages` keys, so code that walks every room window never meets a thread. */
export const threadKeys = {
  all: ['threads'] as const,
  replies: (roomId: string, rootId: string) => ['threads', roomId, rootId, 'replies'] as const,
  root: (roomId: string, rootId: string) => ['threads', roomId, rootId, 'root'] as const,
};

/** One page of a thread's replies over `message:history` (keyset by seq, as the room's history). */
export async function fetchReplies(
  socket: ParleySocket,
  roomId: string,
  rootId: string,
  bounds: { before?: number; after?: number; limit?: number } = {},
): Promise<Message[]> {
  const { messages } = await request(socket, 'message:history', {
    roomId,
    threadRootId: rootId,
    limit: bounds.limit ?? THREAD_PAGE_SIZE,
    ...(bounds.before !== undefined ? { before: bounds.before } : {}),
    ...(bounds.after !== undefined ? { after: bounds.after } : {}),
  });
  return messages;
}

/** Merges messages into a sorted list: one per id, the one with the highest rev. Returns `existing` when nothing changed. */
export function mergeReplies(existing: readonly Message[], incoming: readonly Message[]): Message[] {
  const byId = new Map(existing.map((m) => [m.id, m]));
  let changed = false;
  for (const message of incoming) {
    const held = byId.get(message.id);
    if (held && held.rev >= message.rev) continue;
    byId.set(message.id, message);
    changed = true;
  }
  if (!changed) return existing as Message[];
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * Adds live replies (created or updated) to what is held (pure). One older than the oldest held
 * while older ones are unfetched is left out: it would leave a hole that paging older skips.
 */
export function addLiveReplies(data: ThreadReplies, incoming: readonly Message[]): ThreadReplies {
  const oldest = data.replies[0]?.seq;
  const fits = incoming.filter((m) => !data.hasOlder || oldest === undefined || m.seq >= oldest);
  const replies = mergeReplies(data.replies, fits);
  return replies === data.replies ? data : { ...data, replies };
}

/**
 * Puts a fresh newest page into what is held (pure). When the page is full and starts after the
 * newest reply held, replies are missing between them: the page replaces what is held (older ones
 * are paged in again when read), so the list never has a hole.
 */
export function mergeNewestPage(data: ThreadReplies | undefined, page: readonly Message[], limit = THREAD_PAGE_SIZE): ThreadReplies {
  const fresh = { replies: mergeReplies([], page), hasOlder: page.length === limit };
  if (!data) return fresh;
  if (page.length < limit) return { replies: mergeReplies(data.replies, page), hasOlder: data.hasOlder };
  // Held replies newer than the page arrived live while it was on its way: they say nothing of a gap.
  const pageEnd = page.at(-1)!.seq;
  const heldUpTo = data.replies.filter((m) => m.seq <= pageEnd).at(-1)?.seq ?? 0;
  const gap = page[0]!.seq > heldUpTo;
  if (gap)
    return {
      replies: mergeReplies(
        fresh.replies,
        data.replies.filter((m) => m.seq > pageEnd),
      ),
      hasOlder: true,
    };
  return { replies: mergeReplies(data.replies, page), hasOlder: data.hasOlder };
}

/**
 * Live replies that arrived before the thread's first page did: the page may have been read before
 * they were stored, so they are merged into it when it lands rather than lost.
 */
const early = new Map<string, Message[]>();
const earlyKey = (roomId: string, rootId: string) => `${roomId}\n${rootId}`;

export const threadRepliesQueryOptions = (socket: ParleySocket, queryClient: QueryClient, roomId: string, rootId: string) =>
  queryOptions({
    queryKey: threadKeys.replies(roomId, rootId),
    queryFn: async (): Promise<ThreadReplies> => {
      const page = await fetchReplies(socket, roomId, rootId);
      const key = earlyKey(roomId, rootId);
      const arrived = early.get(key) ?? [];
      early.delete(key);
      const current = queryClient.getQueryData<ThreadReplies>(threadKeys.replies(roomId, rootId));
      return addLiveReplies(mergeNewestPage(current, page), arrived);
    },
  });

/** Adds live replies to a thread: into its cache when held, else kept for its first page. */
export function addReplies(queryClient: QueryClient, roomId: string, rootId: string, incoming: readonly Message[]): void {
  const key = threadKeys.replies(roomId, rootId);
  if (queryClient.getQueryData<ThreadReplies>(key)) {
    queryClient.setQueryData<ThreadReplies>(key, (data) => (data ? addLiveReplies(data, incoming) : data));
  } else if (queryClient.getQueryState(key)?.fetchStatus === 'fetching') {
    const held = early.get(earlyKey(roomId, rootId)) ?? [];
    early.set(earlyKey(roomId, rootId), [...held, ...incoming]);
  }
}

/** Keeps a thread root's state from `message:updated` (the newest rev wins). */
export function updateRoot(queryClient: QueryClient, root: Message): void {
  queryClient.setQueryData<Message | null>(threadKeys.root(root.roomId, root.id), (held) => (held && held.rev >= root.rev ? held : root));
}

/**
 * A thread root not held in the room's window: read from the room's top-level history at its seq
 * (the seq the thread was opened with). Resolves null when that is not this root.
 */
export const threadRootQueryOptions = (
  socket: ParleySocket,
  queryClient: QueryClient,
  roomId: string,
  rootId: string,
  rootSeq: number | undefined,
) =>
  queryOptions({
    queryKey: threadKeys.root(roomId, rootId),
    queryFn: async (): Promise<Message | null> => {
      const held = () => queryClient.getQueryData<Message | null>(threadKeys.root(roomId, rootId)) ?? null;
      if (rootSeq === undefined) return held();
      const { messages } = await request(socket, 'message:history', { roomId, before: rootSeq + 1, limit: 1, topLevel: true });
      const found = messages[0]?.id === rootId ? messages[0] : null;
      // A message:updated that landed while this was on its way is as new or newer: keep it.
      const live = held();
      return live && (!found || live.rev >= found.rev) ? live : found;
    },
  });

/** One paging request per thread at a time; a call during one waits for it. */
const paging = new Map<string, Promise<void>>();

/** Fetches the page of replies older than the oldest held. */
export function loadOlderReplies(socket: ParleySocket, queryClient: QueryClient, roomId: string, rootId: string): Promise<void> {
  const pageKey = earlyKey(roomId, rootId);
  const running = paging.get(pageKey);
  if (running) return running;
  const run = (async () => {
    const key = threadKeys.replies(roomId, rootId);
    const data = queryClient.getQueryData<ThreadReplies>(key);
    const oldest = data?.replies[0];
    if (!data?.hasOlder || !oldest) return;
    const page = await fetchReplies(socket, roomId, rootId, { before: oldest.seq });
    queryClient.setQueryData<ThreadReplies>(key, (current) => {
      // Replaced meanwhile (a refetch after a reconnection): this page no longer joins it.
      if (!current || current.replies[0]?.id !== oldest.id) return current;
      return { replies: mergeReplies(current.replies, page), hasOlder: page.length === THREAD_PAGE_SIZE };
    });
  })().finally(() => paging.delete(pageKey));
  paging.set(pageKey, run);
  return run;
}

/** Refetches the newest page and merges it (after a reconnection that replayed nothing). */
export async function refreshNewestReplies(socket: ParleySocket, queryClient: QueryClient, roomId: string, rootId: string): Promise<void> {
  const page = await fetchReplies(socket, roomId, rootId);
  queryClient.setQueryData<ThreadReplies>(threadKeys.replies(roomId, rootId), (current) =>
    current ? mergeNewestPage(current, page) : current,
  );
}
