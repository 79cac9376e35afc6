import { v7 } from 'uuid';
import { create } from 'zustand';
import type { MessageFile } from '@parley/protocol';
import { useShallow } from 'zustand/react/shallow';
import { createRevsSlice, type RevsSlice } from './revs.slice';

/** A message the user sent that the server has not acknowledged yet. */
export interface OutgoingMessage {
  clientMsgId: string;
  roomId: string;
  text: string;
  /** A reply in the thread of this top-level message (shown in the thread panel, never in the room's main view). */
  threadRootId?: string;
  /** Files uploaded to send with it (`fileIds` of `message:send`, in this order): a resend sends the same files. */
  files?: MessageFile[];
  createdAt: string;
  status: 'pending' | 'failed';
  error?: string;
}

/**
 * A change to a stored message the server has not acknowledged yet: an edit, a delete or a
 * reaction. `id` is a UUIDv7 made like a clientMsgId, so sends and changes sort together in the
 * order they were made. Each is idempotent by its result on the server, so resending it is safe.
 */
export type PendingChange = { id: string; roomId: string; messageId: string; createdAt: string } & (
  { kind: 'edit'; text: string } | { kind: 'delete' } | { kind: 'reaction'; emoji: string; on: boolean }
);

/** Where the outbox is kept beyond memory (IndexedDB in the app). Writes are fire-and-forget. */
export interface OutboxPersistence {
  save(message: OutgoingMessage): Promise<void>;
  remove(clientMsgId: string): Promise<void>;
  saveChange(change: PendingChange): Promise<void>;
  removeChange(id: string): Promise<void>;
  /** Keeps the draft of a composer (a room's id, or `thread:<rootId>`); an empty one is removed. */
  saveDraft(key: string, text: string): Promise<void>;
}

export interface Typist {
  userId: string;
  username: string;
  /** Their display name ('' when they have none). */
  displayName: string;
  /** When to stop showing them, should their "stopped typing" never arrive. */
  until: number;
}

export interface ChatState extends RevsSlice {
  /** Unacknowledged sends, in the order they were typed. */
  outbox: OutgoingMessage[];
  /** Unacknowledged edits, deletes and reactions, in the order they were made. */
  changes: PendingChange[];
  /** Why the server refused the latest change to a message (by message id), until dismissed. */
  changeErrors: Record<string, string>;
  /** The message being edited in place (its id), if any: one at a time. */
  editing: string | null;
  /** Mirrors every outbox change once set (see usePersistentOutbox); null keeps it in memory only. */
  persistence: OutboxPersistence | null;
  /** What each composer holds, by room id (`thread:<rootId>` for a thread's): kept with the outbox, so it survives a reload. */
  drafts: Record<string, string>;
  typing: Record<string, Typist[]>;
  enqueue(message: OutgoingMessage): void;
  settle(clientMsgId: string): void;
  fail(clientMsgId: string, error: string): void;
  retry(clientMsgId: string): void;
  enqueueChange(change: PendingChange): void;
  /** The server applied it (or had already): it leaves the outbox. */
  settleChange(id: string): void;
  /** The server refused it for good: it leaves the outbox and the message shows why. */
  refuseChange(id: string, error: string): void;
  dismissChangeError(messageId: string): void;
  setEditing(messageId: string | null): void;
  /**
   * Adds sends and changes kept from an earlier run, keeping the order they were made, and the
   * drafts kept (a draft typed meanwhile wins); marks new ones to be kept too.
   */
  restore(
    saved: OutgoingMessage[],
    persistence: OutboxPersistence,
    savedChanges?: PendingChange[],
    savedDrafts?: Readonly<Record<string, string>>,
  ): void;
  setDraft(roomId: string, text: string): void;
  setTyping(roomId: string, typist: Omit<Typist, 'until'>, typing: boolean, now?: number): void;
  expireTyping(now?: number): void;
  reset(): void;
}
const TYPING_TTL_MS = 8_000;
export const useChatStore = create<ChatState>()((set, get, store) => {
  const keep = (message: OutgoingMessage | undefined) => {
    if (message) get().persistence?.save(message).catch(warnNotKept);
  };
  const update = (clientMsgId: string, change: Partial<OutgoingMessage>) => {
    set((s) => ({ outbox: s.outbox.map((m) => (m.clientMsgId === clientMsgId ? { ...m, ...change } : m)) }));
    keep(get().outbox.find((m) => m.clientMsgId === clientMsgId));
  };
  return {
    ...createRevsSlice(set, get, store),
    outbox: [],
    changes: [],
    changeErrors: {},
    editing: null,
    persistence: null,
    drafts: {},
    typing: {},
    enqueue: (message) => {
      set((s) => ({ outbox: [...s.outbox, message] }));
      keep(message);
    },
    settle: (clientMsgId) => {
      if (!get().outbox.some((m) => m.clientMsgId === clientMsgId)) return;
      set((s) => ({ outbox: s.outbox.filter((m) => m.clientMsgId !== clientMsgId) }));
      get().persistence?.remove(clientMsgId).catch(warnNotKept);
    },
    fail: (clientMsgId, error) => update(clientMsgId, { status: 'failed', error }),
    retry: (clientMsgId) => update(clientMsgId, { status: 'pending', error: undefined }),
    enqueueChange: (change) => {
      set((s) => ({ changes: [...s.changes, change], changeErrors: withoutKey(s.changeErrors, change.messageId) }));
      get().persistence?.saveChange(change).catch(warnNotKept);
    },
    settleChange: (id) => {
      if (!get().changes.some((c) => c.id === id)) return;
      set((s) => ({ changes: s.changes.filter((c) => c.id !== id) }));
      get().persistence?.removeChange(id).catch(warnNotKept);
    },
    refuseChange: (id, error) => {
      const change = get().changes.find((c) => c.id === id);
      if (!change) return;
      set((s) => ({ changes: s.changes.filter((c) => c.id !== id), changeErrors: { ...s.changeErrors, [change.messageId]: error } }));
      get().persistence?.removeChange(id).catch(warnNotKept);
    },
    dismissChangeError: (messageId) => set((s) => ({ changeErrors: withoutKey(s.changeErrors, messageId) })),
    setEditing: (editing) => set({ editing }),
    restore: (saved, persistence, savedChanges = [], savedDrafts = {}) => {
      const current = get().outbox;
      const known = new Set(current.map((m) => m.clientMsgId));
      const outbox = [...saved.filter((m) => !known.has(m.clientMsgId)), ...current].sort((a, b) => byId(a.clientMsgId, b.clientMsgId));
      const currentChanges = get().changes;
      const knownChanges = new Set(currentChanges.map((c) => c.id));
      const changes = [...savedChanges.filter((c) => !knownChanges.has(c.id)), ...currentChanges].sort((a, b) => byId(a.id, b.id));
      const typed = get().drafts;
      set({ outbox, changes, persistence, drafts: { ...savedDrafts, ...typed } });
      // Made before the saved ones were read: keep those too.
      for (const message of current) keep(message);
      for (const change of currentChanges) persistence.saveChange(change).catch(warnNotKept);
      for (const [key, text] of Object.entries(typed)) persistence.saveDraft(key, text).catch(warnNotKept);
    },
    setDraft: (roomId, text) => {
      set((s) => ({ drafts: { ...s.drafts, [roomId]: text } }));
      get().persistence?.saveDraft(roomId, text).catch(warnNotKept);
    },
    setTyping: (roomId, typist, typing, now = Date.now()) =>
      set((s) => {
        const others = (s.typing[roomId] ?? []).filter((t) => t.userId !== typist.userId);
        return { typing: { ...s.typing, [roomId]: typing ? [...others, { ...typist, until: now + TYPING_TTL_MS }] : others } };
      }),
    expireTyping: (now = Date.now()) =>
      set((s) => {
        const next = Object.fromEntries(Object.entries(s.typing).map(([roomId, list]) => [roomId, list.filter((t) => t.until > now)]));
        const changed = Object.keys(next).some((roomId) => next[roomId]!.length !== s.typing[roomId]!.length);
        return changed ? { typing: next } : s;
      }),
    // Forgets this user's state in memory; what persistence holds stays for their next sign-in.
    reset: () => set({ outbox: [], changes: [], changeErrors: {}, editing: null, persistence: null, drafts: {}, typing: {}, revs: {} }),
  };
});

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function withoutKey(record: Record<string, string>, key: string): Record<string, string> {
  if (!(key in record)) return record;
  const { [key]: _removed, ...rest } = record;
  return rest;
}

/** The sends to show pending in a room's main view (`threadRootId` null) or in one thread's panel. */
export function pendingSends(outbox: readonly OutgoingMessage[], roomId: string, threadRootId: string | null = null): OutgoingMessage[] {
  return outbox.filter((m) => m.roomId === roomId && (m.threadRootId ?? null) === threadRootId);
}

/** `pendingSends` as a hook: re-renders only when that list changes. */
export function usePendingSends(roomId: string, threadRootId: string | null = null): OutgoingMessage[] {
  return useChatStore(useShallow((s) => pendingSends(s.outbox, roomId, threadRootId)));
}

/** The unacknowledged changes to one message, in the order they were made. */
export function usePendingChanges(messageId: string): PendingChange[] {
  return useChatStore(useShallow((s) => s.changes.filter((c) => c.messageId === messageId)));
}

function warnNotKept(error: unknown): void {
  console.warn('Parley could not keep the outbox in this browser', error);
}

/**
 * A unique id for a send that sorts in the order sends were made: a UUIDv7 (RFC 9562) from `uuid`,
 * which counts up a sequence within one millisecond and holds its time when the clock steps back.
 * It reads the clock itself: `v7({ msecs })` would drop that sequence, so no time is passed in.
 */
export function newClientMsgId(): string {
  return v7();
}
