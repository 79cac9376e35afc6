import { v7 } from 'uuid';
import { create } from 'zustand';

/** A message the user sent that the server has not acknowledged yet. */
export interface OutgoingMessage {
  clientMsgId: string;
  roomId: string;
  text: string;
  createdAt: string;
  status: 'pending' | 'failed';
  error?: string;
}

/** Where the outbox is kept beyond memory (IndexedDB in the app). Writes are fire-and-forget. */
export interface OutboxPersistence {
  save(message: OutgoingMessage): Promise<void>;
  remove(clientMsgId: string): Promise<void>;
}

export interface Typist {
  userId: string;
  username: string;
  /** When to stop showing them, should their "stopped typing" never arrive. */
  until: number;
}

interface ChatState {
  /** Unacknowledged sends, in the order they were typed. */
  outbox: OutgoingMessage[];
  /** Mirrors every outbox change once set (see usePersistentOutbox); null keeps it in memory only. */
  persistence: OutboxPersistence | null;
  drafts: Record<string, string>;
  typing: Record<string, Typist[]>;
  enqueue(message: OutgoingMessage): void;
  settle(clientMsgId: string): void;
  fail(clientMsgId: string, error: string): void;
  retry(clientMsgId: string): void;
  /** Adds sends kept from an earlier run, keeping typed order; marks new ones to be kept too. */
  restore(saved: OutgoingMessage[], persistence: OutboxPersistence): void;
  setDraft(roomId: string, text: string): void;
  setTyping(roomId: string, typist: Omit<Typist, 'until'>, typing: boolean, now?: number): void;
  expireTyping(now?: number): void;
  reset(): void;
}

const TYPING_TTL_MS = 8_000;

export const useChatStore = create<ChatState>()((set, get) => {
  const keep = (message: OutgoingMessage | undefined) => {
    if (message) get().persistence?.save(message).catch(warnNotKept);
  };
  const update = (clientMsgId: string, change: Partial<OutgoingMessage>) => {
    set((s) => ({ outbox: s.outbox.map((m) => (m.clientMsgId === clientMsgId ? { ...m, ...change } : m)) }));
    keep(get().outbox.find((m) => m.clientMsgId === clientMsgId));
  };
  return {
    outbox: [],
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
    restore: (saved, persistence) => {
      const current = get().outbox;
      const known = new Set(current.map((m) => m.clientMsgId));
      const outbox = [...saved.filter((m) => !known.has(m.clientMsgId)), ...current].sort((a, b) =>
        a.clientMsgId < b.clientMsgId ? -1 : a.clientMsgId > b.clientMsgId ? 1 : 0,
      );
      set({ outbox, persistence });
      // Typed before the saved ones were read: keep those too.
      for (const message of current) keep(message);
    },
    setDraft: (roomId, text) => set((s) => ({ drafts: { ...s.drafts, [roomId]: text } })),
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
    reset: () => set({ outbox: [], persistence: null, drafts: {}, typing: {} }),
  };
});

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
