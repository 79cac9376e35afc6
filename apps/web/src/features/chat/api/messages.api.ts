import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { Message } from '@parley/protocol';
import { apiFetch } from '../../../lib/api';

export const PAGE_SIZE = 50;

/** A room's messages as held by this client: ascending by seq, no duplicates. */
export interface RoomMessages {
  messages: Message[];
  /** False once the oldest message (seq 1) or an empty older page has been seen. */
  hasOlder: boolean;
}

export const messageKeys = {
  all: ['messages'] as const,
  room: (roomId: string) => ['messages', roomId] as const,
};

export function fetchHistory(roomId: string, bounds: { before?: number; after?: number; limit?: number } = {}) {
  const params = new URLSearchParams({ limit: String(bounds.limit ?? PAGE_SIZE) });
  if (bounds.before !== undefined) params.set('before', String(bounds.before));
  if (bounds.after !== undefined) params.set('after', String(bounds.after));
  return apiFetch<{ messages: Message[] }>(`/api/rooms/${encodeURIComponent(roomId)}/messages?${params}`).then((r) => r.messages);
}

export const roomMessagesQueryOptions = (roomId: string) =>
  queryOptions({
    queryKey: messageKeys.room(roomId),
    queryFn: async (): Promise<RoomMessages> => {
      const messages = await fetchHistory(roomId);
      return { messages, hasOlder: messages.length === PAGE_SIZE && messages[0]!.seq > 1 };
    },
  });

/** Merges messages into a sorted list, dropping duplicates by seq. */
export function mergeMessages(existing: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return existing as Message[];
  const bySeq = new Map(existing.map((m) => [m.seq, m]));
  let changed = false;
  for (const message of incoming) {
    if (!bySeq.has(message.seq)) {
      bySeq.set(message.seq, message);
      changed = true;
    }
  }
  if (!changed) return existing as Message[];
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The highest seq held with nothing missing below it back to the first held message. */
export function lastContiguousSeq(messages: readonly Message[]): number {
  if (messages.length === 0) return 0;
  let last = messages[0]!.seq;
  for (const message of messages.slice(1)) {
    if (message.seq !== last + 1) break;
    last = message.seq;
  }
  return last;
}

export function addMessages(queryClient: QueryClient, roomId: string, incoming: readonly Message[]): void {
  queryClient.setQueryData<RoomMessages>(messageKeys.room(roomId), (data) =>
    data ? { ...data, messages: mergeMessages(data.messages, incoming) } : data,
  );
}

/** Fetches one page older than what is held. */
export async function loadOlder(queryClient: QueryClient, roomId: string): Promise<void> {
  const data = queryClient.getQueryData<RoomMessages>(messageKeys.room(roomId));
  const oldest = data?.messages[0];
  if (!data || !oldest || !data.hasOlder) return;
  const page = await fetchHistory(roomId, { before: oldest.seq });
  queryClient.setQueryData<RoomMessages>(messageKeys.room(roomId), (current) =>
    current ? { messages: mergeMessages(current.messages, page), hasOlder: page.length === PAGE_SIZE && page[0]!.seq > 1 } : current,
  );
}

const catchingUp = new Map<string, Promise<void>>();

/**
 * Fetches everything after the last contiguous seq held, page by page, until a page comes back
 * short. One catch-up per room at a time; a call during one waits for it and runs again.
 */
export function catchUp(queryClient: QueryClient, roomId: string): Promise<void> {
  const running = catchingUp.get(roomId);
  if (running) return running.then(() => catchUp(queryClient, roomId));
  const run = (async () => {
    for (let pages = 0; pages < 100; pages++) {
      const data = queryClient.getQueryData<RoomMessages>(messageKeys.room(roomId));
      if (!data) return;
      const page = await fetchHistory(roomId, { after: lastContiguousSeq(data.messages), limit: 100 });
      addMessages(queryClient, roomId, page);
      if (page.length < 100) return;
    }
  })().finally(() => catchingUp.delete(roomId));
  catchingUp.set(roomId, run);
  return run;
}
