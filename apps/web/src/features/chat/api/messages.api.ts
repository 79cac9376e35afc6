import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { LIMITS, type Message, type RoomSummary } from '@parley/protocol';
import { useActiveRoomStore } from '../../../lib/active-room.store';
import { apiFetch } from '../../../lib/api';
import { findRoom } from '../../../lib/rooms-cache';
import { request, type ParleySocket } from '../../../lib/socket';
import { useChatStore } from '../chat.store';

export const PAGE_SIZE = 50;
/** The most messages held per room: a window onto its history that pages at both ends. */
export const MAX_HELD = 600;
/** Changes asked for per `message:changes` request while catching up. */
export const CHANGES_PAGE = LIMITS.changesLimitMax;
/** Catch-up rounds per call at most, each while a gap remains (a later gap starts another call). */
const MAX_CATCH_UP_ROUNDS = 10;

/** A live message that was not put in the window because its newest end is not held. */
export interface SkippedMessage {
  seq: number;
  authorId: string;
}

/**
 * A room's main view as held by this client: a contiguous window of its top-level history (thread
 * replies take seqs too, so seqs have gaps), at most MAX_HELD, ascending by seq, no duplicates, each
 * message in the newest state seen (highest rev).
 */
export interface RoomMessages {
  messages: Message[];
  /** False once the oldest message (seq 1, always top-level) or a short older page has been seen. */
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

/** A page of the room's top-level history (thread replies are left out: the thread panel pages those). */
export function fetchHistory(roomId: string, bounds: { before?: number; after?: number; limit?: number } = {}) {
  const params = new URLSearchParams({ limit: String(bounds.limit ?? PAGE_SIZE), topLevel: 'true' });
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

/**
 * Whether a page fetched `before:` something (or the newest page) leaves older messages unfetched.
 * Seq 1 is always top-level (a reply needs an older root), so a page that reaches it is the first.
 */
function olderExists(page: readonly Message[], limit: number): boolean {
  return page.length === limit && page[0]!.seq > 1;
}

/** Whether `incoming` is a newer state of a message than `held`: an older state never overwrites a newer one. */
export function isNewer(incoming: { rev: number }, held: { rev: number } | undefined): boolean {
  return held === undefined || incoming.rev > held.rev;
}

/**
 * Replaces a held message by a newer state of it (by id, when its rev is greater). Generic over
 * any list of messages (a room's window, a thread's replies); returns `list` itself when nothing changed.
 */
export function replaceByRev<T extends { id: string; rev: number }>(list: readonly T[], message: T): T[] {
  const index = list.findIndex((m) => m.id === message.id);
  if (index < 0 || !isNewer(message, list[index])) return list as T[];
  const next = [...list];
  next[index] = message;
  return next;
}

/** Merges messages into a sorted list: one per seq, the newest state of each (highest rev). */
export function mergeMessages(existing: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return existing as Message[];
  const bySeq = new Map(existing.map((m) => [m.seq, m]));
  let changed = false;
  for (const message of incoming) {
    if (isNewer(message, bySeq.get(message.seq))) {
      bySeq.set(message.seq, message);
      changed = true;
    }
  }
  if (!changed) return existing as Message[];
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
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

/** Adds live top-level messages to a room's window, if it is held (the change stream uses applyMessages). */
export function addMessages(queryClient: QueryClient, roomId: string, incoming: readonly Message[]): void {
  const topLevel = incoming.filter((m) => !m.threadRootId);
  queryClient.setQueryData<RoomMessages>(messageKeys.room(roomId), (data) =>
    data ? mergeIntoWindow(data, topLevel, { live: true, keepOldest: readerHoldsPlace(roomId) }) : data,
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
  // A change applied live while the page was on its way is newer than the page's state of it.
  let refreshed = fresh.messages;
  for (const held of current?.messages ?? []) refreshed = replaceByRev(refreshed, held);
  const messages = mergeMessages(refreshed, tail);
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

/**
 * Puts messages from the change stream (live events, acks, catch-up answers) into a window (pure).
 * Thread replies never enter it. A held message is replaced only by a newer state of it. A top-level
 * message not held joins as a live message does: appended after the newest held (or remembered in
 * `skipped` while the newest end is trimmed), or put where it belongs among those held (one missed
 * live). One older than the oldest held while older history is unfetched is ignored: it would leave
 * a hole that paging older skips, and it comes with that page anyway.
 */
export function applyToWindow(data: RoomMessages, incoming: readonly Message[], { keepOldest = false } = {}): RoomMessages {
  const oldest = data.messages[0]?.seq;
  const heldIds = new Set(data.messages.map((m) => m.id));
  let messages = data.messages;
  const missing: Message[] = [];
  for (const message of incoming) {
    if (message.threadRootId) continue;
    if (heldIds.has(message.id)) messages = replaceByRev(messages, message);
    else if (!(data.hasOlder && oldest !== undefined && message.seq < oldest)) missing.push(message);
  }
  const replaced = messages === data.messages ? data : { ...data, messages };
  return missing.length > 0 ? mergeIntoWindow(replaced, missing, { live: true, keepOldest }) : replaced;
}

type ChangeListener = (message: Message) => void;
const changeListeners = new Set<ChangeListener>();

/**
 * Tells `listener` every message state the change stream brings (live `message:created` and
 * `message:updated`, acks of my changes, catch-up answers), replies included: the thread panel
 * keeps its own caches with it. Returns the unsubscribe function.
 */
export function subscribeToMessageChanges(listener: ChangeListener): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

/** Applies message states to their rooms' main windows (where held) and tells the change listeners. */
export function applyMessages(queryClient: QueryClient, incoming: readonly Message[]): void {
  const byRoom = new Map<string, Message[]>();
  for (const message of incoming) byRoom.set(message.roomId, [...(byRoom.get(message.roomId) ?? []), message]);
  for (const [roomId, messages] of byRoom) {
    queryClient.setQueryData<RoomMessages>(messageKeys.room(roomId), (data) =>
      data ? applyToWindow(data, messages, { keepOldest: readerHoldsPlace(roomId) }) : data,
    );
  }
  for (const message of incoming) for (const listener of changeListeners) listener(message);
}

/** One message state (an event, an ack): see applyMessages. */
export function applyMessage(queryClient: QueryClient, message: Message): void {
  applyMessages(queryClient, [message]);
}

/** Whether this client holds a window of the room's messages. */
export function holdsWindow(queryClient: QueryClient, roomId: string): boolean {
  return queryClient.getQueryData<RoomMessages>(messageKeys.room(roomId)) !== undefined;
}

/** The rooms whose windows are held. */
export function heldRoomIds(queryClient: QueryClient): string[] {
  return queryClient
    .getQueriesData<RoomMessages>({ queryKey: messageKeys.all })
    .filter(([key, data]) => data !== undefined && key.length === 2)
    .map(([key]) => key[1] as string);
}

const catchingUp = new Map<string, Promise<void>>();
const queuedCatchUps = new Map<string, Promise<void>>();

/**
 * Brings a room up to date from its change stream: `message:changes` after the room's lastRev, page
 * by page while `more`, applying each message (see applyToWindow) and moving lastRev to each answer's;
 * again while changes seen live are still ahead of a gap. One catch-up per room at a time: calls
 * during one share one more catch-up after it.
 */
export function catchUpChanges(socket: ParleySocket, queryClient: QueryClient, roomId: string): Promise<void> {
  const running = catchingUp.get(roomId);
  if (running) {
    let queued = queuedCatchUps.get(roomId);
    if (!queued) {
      queued = running
        .catch(() => undefined)
        .then(() => {
          queuedCatchUps.delete(roomId);
          return catchUpChanges(socket, queryClient, roomId);
        });
      queuedCatchUps.set(roomId, queued);
    }
    return queued;
  }
  const run = runCatchUp(socket, queryClient, roomId).finally(() => catchingUp.delete(roomId));
  catchingUp.set(roomId, run);
  return run;
}

async function runCatchUp(socket: ParleySocket, queryClient: QueryClient, roomId: string): Promise<void> {
  const chat = () => useChatStore.getState();
  if (!chat().revs[roomId]) {
    const known = findRoom(queryClient, roomId)?.lastRev;
    if (known === undefined) return;
    chat().initRev(roomId, known);
  }
  for (let round = 0; round < MAX_CATCH_UP_ROUNDS; round++) {
    let afterRev = chat().revs[roomId]?.lastRev ?? 0;
    let more = true;
    while (more) {
      const answer = await request(socket, 'message:changes', { roomId, afterRev, limit: CHANGES_PAGE });
      applyMessages(queryClient, answer.messages);
      chat().caughtUp(roomId, answer.lastRev);
      more = answer.more && answer.lastRev > afterRev;
      afterRev = answer.lastRev;
    }
    if ((chat().revs[roomId]?.ahead.length ?? 0) === 0) return;
  }
}

/**
 * Where each joined room's change stream starts, for a room not followed yet: its lastRev in the
 * room list. A room whose window is held (read before it was joined, when no change reached this
 * client) starts no later than the newest state it holds, and is returned: it needs a catch-up. A
 * followed room whose window is not held moves forward to the list's lastRev (nothing it missed is
 * held); a held one keeps its own, so a catch-up still fetches what it missed. Rooms left are forgotten.
 */
export function syncRevsFromRooms(queryClient: QueryClient, rooms: readonly RoomSummary[]): string[] {
  const chat = useChatStore.getState();
  const toCatchUp: string[] = [];
  for (const room of rooms) {
    if (!room.joined) {
      chat.forgetRev(room.id);
      continue;
    }
    const held = queryClient.getQueryData<RoomMessages>(messageKeys.room(room.id));
    if (!held || chat.revs[room.id]) {
      chat.initRev(room.id, room.lastRev, !held);
      continue;
    }
    const newestHeld = held.messages.reduce((max, m) => Math.max(max, m.rev), 0);
    chat.initRev(room.id, Math.min(room.lastRev, newestHeld));
    if (newestHeld < room.lastRev) toCatchUp.push(room.id);
  }
  return toCatchUp;
}
