// A room's window of held messages and its merges: pure functions over RoomMessages.
import type { Message } from '@parley/protocol';

/** The most messages held per room: a window onto its history that pages at both ends. */
export const MAX_HELD = 600;

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

/**
 * Whether a page fetched `before:` something (or the newest page) leaves older messages unfetched.
 * Seq 1 is always top-level (a reply needs an older root), so a page that reaches it is the first.
 */
export function olderExists(page: readonly Message[], limit: number): boolean {
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
export function pruneSkipped(skipped: readonly SkippedMessage[], newestHeld: number): SkippedMessage[] {
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

/**
 * A window that replaces the one held: what arrived live while it was fetched (appended to the old
 * window's newest end, or skipped) is kept, so a replacement loses nothing.
 */
export function replaceWindow(current: RoomMessages | undefined, fresh: RoomMessages): RoomMessages {
  const end = newestHeldSeq(fresh);
  const tail = current && !current.hasNewer && !fresh.hasNewer ? current.messages.filter((m) => m.seq > end) : [];
  // A change applied live while the page was on its way is newer than the page's state of it.
  let refreshed = fresh.messages;
  for (const held of current?.messages ?? []) refreshed = replaceByRev(refreshed, held);
  const messages = mergeMessages(refreshed, tail);
  const skipped = pruneSkipped(current?.skipped ?? [], newestHeldSeq({ ...fresh, messages }));
  return { ...fresh, messages, hasNewer: fresh.hasNewer || skipped.length > 0, skipped };
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
