import { queryOptions, type QueryClient } from '@tanstack/react-query';
import type { Message } from '@parley/protocol';
import { useActiveRoomStore } from '../../../lib/active-room.store';
import { apiFetch } from '../../../lib/api';

export const PAGE_SIZE = 50;
/** The most messages held per room: a window onto its history that pages at both ends. */
export const MAX_HELD = 600;
const CATCH_UP_PAGE = 100;

/** A live message that was not put in the window because its newest end is not held. */
export interface SkippedMessage {
  seq: number;
  authorId: string;
}

/**
 * A room's messages as held by this client: a contiguous window of its history (at most MAX_HELD),
 * ascending by seq, no duplicates.
 */
export interface RoomMessages {
  messages: Message[];
  /** False once the oldest message (seq 1) or an empty older page has been seen. */
  hasOlder: boolean;
  /** True while newer messages exist than the newest held: the newest end was trimmed, or the window opened at an old seq. */
  hasNewer?: boolean;
  /** Live messages newer than the window (only while `hasNewer`), for the "N new messages" count. */
  skipped?: SkippedMessage[];
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

/** The newest page of a room as a fresh window. */
async function fetchNewest(roomId: string): Promise<RoomMessages> {
  const messages = await fetchHistory(roomId);
  return { messages, hasOlder: olderExists(messages, PAGE_SIZE), hasNewer: false, skipped: [] };
}

export const roomMessagesQueryOptions = (roomId: string) =>
  queryOptions({ queryKey: messageKeys.room(roomId), queryFn: () => fetchNewest(roomId) });

/** Whether a page fetched `before:` something (or the newest page) leaves older messages unfetched. */
function olderExists(page: readonly Message[], limit: number): boolean {
  return page.length === limit && page[0]!.seq > 1;
}

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

/** The seq of the newest message the window holds, 0 if none. */
export function newestHeldSeq(data: RoomMessages): number {
  return data.messages.at(-1)?.seq ?? 0;
}

const asSkipped = (m: Message): SkippedMessage => ({ seq: m.seq, authorId: m.author.id });

/** Keeps the skipped list to what is newer than the window, sorted, without duplicates, bounded. */
function pruneSkipped(skipped: readonly SkippedMessage[], newestHeld: number): SkippedMessage[] {
  const bySeq = new Map(skipped.filter((s) => s.seq > newestHeld).map((s) => [s.seq, s]));
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-MAX_HELD);
}

/**
 * Puts messages into a window (pure). Messages inside it fill gaps; newer ones are appended while
 * the newest end is held, and otherwise only remembered in `skipped` when `live` (a trimmed end is
 * paged on demand, never appended to across a gap). Past MAX_HELD the window drops its oldest end,
 * or, when `keepOldest` (a reader is holding their place up there), its newest end.
 */
export function mergeIntoWindow(
  data: RoomMessages,
  incoming: readonly Message[],
  { live = false, keepOldest = false }: { live?: boolean; keepOldest?: boolean } = {},
): RoomMessages {
  const heldEnd = newestHeldSeq(data);
  const beyond = data.hasNewer ? incoming.filter((m) => m.seq > heldEnd) : [];
  const messages = mergeMessages(data.messages, data.hasNewer ? incoming.filter((m) => m.seq <= heldEnd) : incoming);
  const skipped = live && beyond.length > 0 ? [...(data.skipped ?? []), ...beyond.map(asSkipped)] : (data.skipped ?? []);
  if (messages.length <= MAX_HELD) {
    if (messages === data.messages && skipped === data.skipped) return data;
    return { ...data, messages, skipped: pruneSkipped(skipped, newestHeldSeq({ ...data, messages })) };
  }
  if (keepOldest) {
    const kept = messages.slice(0, MAX_HELD);
    const cut = messages.slice(MAX_HELD).map(asSkipped);
    return { ...data, messages: kept, hasNewer: true, skipped: pruneSkipped(live ? [...skipped, ...cut] : skipped, kept.at(-1)!.seq) };
  }
  return { ...data, messages: messages.slice(-MAX_HELD), hasOlder: true, skipped: pruneSkipped(skipped, messages.at(-1)!.seq) };
}

/** Whether the room is on screen with its reader scrolled away from the newest messages. */
function readerHoldsPlace(roomId: string): boolean {
  const active = useActiveRoomStore.getState();
  return active.roomId === roomId && !active.readingLive;
}

/** Adds live messages (broadcasts, acks of my sends) to a room's window, if it is held. */
export function addMessages(queryClient: QueryClient, roomId: string, incoming: readonly Message[]): void {
  queryClient.setQueryData<RoomMessages>(messageKeys.room(roomId), (data) =>
    data ? mergeIntoWindow(data, incoming, { live: true, keepOldest: readerHoldsPlace(roomId) }) : data,
  );
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

/**
 * A window that replaces the one held: what arrived live while it was fetched (appended to the old
 * window's newest end, or skipped) is kept, so a replacement loses nothing.
 */
function replaceWindow(current: RoomMessages | undefined, fresh: RoomMessages): RoomMessages {
  const end = newestHeldSeq(fresh);
  const tail = current && !current.hasNewer && !fresh.hasNewer ? current.messages.filter((m) => m.seq > end) : [];
  const messages = mergeMessages(fresh.messages, tail);
  const skipped = pruneSkipped(current?.skipped ?? [], newestHeldSeq({ ...fresh, messages }));
  return { ...fresh, messages, hasNewer: fresh.hasNewer || skipped.length > 0, skipped };
}

/** Replaces the window with the newest page (what "Jump to newest" shows). */
export function showNewest(queryClient: QueryClient, roomId: string): Promise<void> {
  return once(`newest:${roomId}`, async () => {
    const fresh = await fetchNewest(roomId);
    queryClient.setQueryData<RoomMessages>(messageKeys.room(roomId), (current) => replaceWindow(current, fresh));
  });
}

/** Replaces the window with the history around `seq` (a page on each side), to open a room at an old message. */
export async function openAt(queryClient: QueryClient, roomId: string, seq: number): Promise<void> {
  const [older, newer] = await Promise.all([fetchHistory(roomId, { before: seq + 1 }), fetchHistory(roomId, { after: seq })]);
  const fresh = { messages: mergeMessages(older, newer), hasOlder: olderExists(older, PAGE_SIZE), hasNewer: newer.length === PAGE_SIZE };
  queryClient.setQueryData<RoomMessages>(messageKeys.room(roomId), (current) => replaceWindow(current, fresh));
}

const catchingUp = new Map<string, Promise<void>>();

/**
 * Fetches everything after the last contiguous seq held, page by page, until a page comes back
 * short. One catch-up per room at a time; a call during one waits for it and runs again. A window
 * whose newest end was trimmed is caught up only to that end: the rest is paged in when read.
 */
export function catchUp(queryClient: QueryClient, roomId: string): Promise<void> {
  const running = catchingUp.get(roomId);
  if (running) return running.then(() => catchUp(queryClient, roomId));
  const run = (async () => {
    for (let pages = 0; pages < 100; pages++) {
      const data = queryClient.getQueryData<RoomMessages>(messageKeys.room(roomId));
      if (!data) return;
      const after = lastContiguousSeq(data.messages);
      if (data.hasNewer && after >= newestHeldSeq(data)) return;
      const page = await fetchHistory(roomId, { after, limit: CATCH_UP_PAGE });
      queryClient.setQueryData<RoomMessages>(messageKeys.room(roomId), (current) =>
        current ? mergeIntoWindow(current, page, { keepOldest: readerHoldsPlace(roomId) }) : current,
      );
      if (page.length < CATCH_UP_PAGE) return;
    }
  })().finally(() => catchingUp.delete(roomId));
  catchingUp.set(roomId, run);
  return run;
}
