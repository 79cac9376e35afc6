// The room's main view over HTTP: its query, and paging its window at both ends (merges in message-window.ts).
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { Message } from '@parley/protocol';
import { useActiveRoomStore } from '../../../lib/active-room.store';
import { apiFetch } from '../../../lib/api';
import { subscribeToMessageChanges } from './change-listeners';
import {
  applyToWindow,
  mergeIntoWindow,
  mergeMessages,
  newestHeldSeq,
  olderExists,
  pruneSkipped,
  replaceWindow,
  type RoomMessages,
} from './message-window';

export const PAGE_SIZE = 50;

export const messageKeys = {
  all: ['messages'] as const,
  room: (roomId: string) => ['messages', roomId] as const,
};

/** A page of the room's top-level history (thread replies are left out: the thread panel pages those). */
export function fetchHistory(roomId: string, bounds: { before?: number; after?: number; limit?: number } = {}) {
  const params = new URLSearchParams({ limit: String(bounds.limit ?? PAGE_SIZE), topLevel: 'true' });
  if (bounds.before !== undefined) params.set('before', String(bounds.before));
  if (bounds.after !== undefined) params.set('after', String(bounds.after));
  return apiFetch<{ messages: Message[] }>(`/api/rooms/${encodeURIComponent(roomId)}/messages?${params}`).then((r) => r.messages);
}

/**
 * A window fetched over HTTP, with what the change stream brought while it was on its way put in
 * (my ack, a live message, an edit: see applyToWindow). Its pages may have been read before those
 * were stored, and while no window is held the cache has nowhere to put them: without this, a
 * message sent while its room was loading vanished once its ack settled it.
 */
async function withArrivals(roomId: string, fetch: () => Promise<RoomMessages>): Promise<RoomMessages> {
  const arrived: Message[] = [];
  const stop = subscribeToMessageChanges((message) => {
    if (message.roomId === roomId) arrived.push(message);
  });
  try {
    return applyToWindow(await fetch(), arrived);
  } finally {
    stop();
  }
}

/** The newest page of a room as a fresh window. */
function fetchNewest(roomId: string): Promise<RoomMessages> {
  return withArrivals(roomId, async () => {
    const messages = await fetchHistory(roomId);
    return { messages, hasOlder: olderExists(messages, PAGE_SIZE), hasNewer: false, skipped: [] };
  });
}

export const roomMessagesQueryOptions = (roomId: string) =>
  queryOptions({ queryKey: messageKeys.room(roomId), queryFn: () => fetchNewest(roomId) });

/** Whether the room is on screen with its reader scrolled away from the newest messages. */
export function readerHoldsPlace(roomId: string): boolean {
  const active = useActiveRoomStore.getState();
  return active.roomId === roomId && !active.readingLive;
}

/** One paging request per room and direction at a time; a call during one waits for it. */
const paging = new Map<string, Promise<void>>();
function once(key: string, run: () => Promise<void>): Promise<void> {
  const running = paging.get(key);
  if (running) return running;
  const started = run().finally(() => paging.delete(key));
  paging.set(key, started);
  return started;
}

/** Fetches one page older than the window; past MAX_HELD the newest end is dropped (and paged back later). */
export function loadOlder(queryClient: QueryClient, roomId: string): Promise<void> {
  return once(`older:${roomId}`, async () => {
    const data = queryClient.getQueryData<RoomMessages>(messageKeys.room(roomId));
    const oldest = data?.messages[0];
    if (!data || !oldest || !data.hasOlder) return;
    const page = await fetchHistory(roomId, { before: oldest.seq });
    queryClient.setQueryData<RoomMessages>(messageKeys.room(roomId), (current) => {
      // The window was replaced meanwhile (a jump to the newest): this page no longer joins it.
      if (!current || current.messages[0]?.seq !== oldest.seq) return current;
      return mergeIntoWindow({ ...current, hasOlder: olderExists(page, PAGE_SIZE) }, page, { keepOldest: true });
    });
  });
}

/** Fetches one page newer than the window (while `hasNewer`); past MAX_HELD the oldest end is dropped. */
export function loadNewer(queryClient: QueryClient, roomId: string): Promise<void> {
  return once(`newer:${roomId}`, async () => {
    const data = queryClient.getQueryData<RoomMessages>(messageKeys.room(roomId));
    if (!data?.hasNewer || data.messages.length === 0) return;
    const after = newestHeldSeq(data);
    const page = await fetchHistory(roomId, { after });
    queryClient.setQueryData<RoomMessages>(messageKeys.room(roomId), (current) => {
      if (!current?.hasNewer || newestHeldSeq(current) !== after) return current;
      const merged = mergeIntoWindow({ ...current, hasNewer: false }, page);
      const end = newestHeldSeq(merged);
      // A short page reached the newest message, unless more arrived live while it was on its way.
      const more = page.length === PAGE_SIZE || (current.skipped ?? []).some((s) => s.seq > end);
      return { ...merged, hasNewer: more, skipped: more ? pruneSkipped(current.skipped ?? [], end) : [] };
    });
  });
}

/** Replaces the window with the newest page (what "Jump to newest" shows). */
export function showNewest(queryClient: QueryClient, roomId: string): Promise<void> {
  return once(`newest:${roomId}`, async () => {
    const fresh = await fetchNewest(roomId);
    queryClient.setQueryData<RoomMessages>(messageKeys.room(roomId), (current) => replaceWindow(current, fresh));
  });
}

/** The history around `seq` as a fresh window: a page up to it (included) and a page after it, fetched together. */
function fetchAround(roomId: string, seq: number): Promise<RoomMessages> {
  return withArrivals(roomId, async () => {
    const [older, newer] = await Promise.all([fetchHistory(roomId, { before: seq + 1 }), fetchHistory(roomId, { after: seq })]);
    return {
      messages: mergeMessages(older, newer),
      hasOlder: olderExists(older, PAGE_SIZE),
      hasNewer: newer.length === PAGE_SIZE,
      skipped: [],
    };
  });
}

/** Replaces the window with the history around `seq` (a page on each side), to open a room at an old message. */
export async function openAt(queryClient: QueryClient, roomId: string, seq: number): Promise<void> {
  const fresh = await fetchAround(roomId, seq);
  queryClient.setQueryData<RoomMessages>(messageKeys.room(roomId), (current) => replaceWindow(current, fresh));
}

/**
 * Whether the window shows where reading stopped: the first top-level message after `readMarker`
 * is held with what comes before it (an older message held, or none older exists), or every held
 * message is read and the newest end is held (nothing unread at the top level).
 */
export function windowHoldsReadMarker(data: RoomMessages, readMarker: number): boolean {
  const first = data.messages.findIndex((m) => m.seq > readMarker);
  if (first < 0) return !data.hasNewer;
  return first > 0 || !data.hasOlder;
}

/**
 * Opens a room where reading stopped (the read marker: the newest seq read): unless the window
 * held already shows it, replaces it with a page up to the marker and a page after it (`after:`),
 * older and newer pages following as the reader scrolls.
 */
export function openAtReadMarker(queryClient: QueryClient, roomId: string, readMarker: number): Promise<void> {
  const held = queryClient.getQueryData<RoomMessages>(messageKeys.room(roomId));
  if (held && windowHoldsReadMarker(held, readMarker)) return Promise.resolve();
  return once(`unread:${roomId}`, () => openAt(queryClient, roomId, readMarker));
}

/** The rooms whose windows are held. */
export function heldRoomIds(queryClient: QueryClient): string[] {
  return queryClient
    .getQueriesData<RoomMessages>({ queryKey: messageKeys.all })
    .filter(([key, data]) => data !== undefined && key.length === 2)
    .map(([key]) => key[1] as string);
}
