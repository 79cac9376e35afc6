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

export interface Typist {
  userId: string;
  username: string;
  /** When to stop showing them, should their "stopped typing" never arrive. */
  until: number;
}

interface ChatState {
  /** Unacknowledged sends, in the order they were typed. */
  outbox: OutgoingMessage[];
  drafts: Record<string, string>;
  typing: Record<string, Typist[]>;
  enqueue(message: OutgoingMessage): void;
  settle(clientMsgId: string): void;
  fail(clientMsgId: string, error: string): void;
  retry(clientMsgId: string): void;
  setDraft(roomId: string, text: string): void;
  setTyping(roomId: string, typist: Omit<Typist, 'until'>, typing: boolean, now?: number): void;
  expireTyping(now?: number): void;
  reset(): void;
}

const TYPING_TTL_MS = 8_000;

export const useChatStore = create<ChatState>()((set) => ({
  outbox: [],
  drafts: {},
  typing: {},
  enqueue: (message) => set((s) => ({ outbox: [...s.outbox, message] })),
  settle: (clientMsgId) => set((s) => ({ outbox: s.outbox.filter((m) => m.clientMsgId !== clientMsgId) })),
  fail: (clientMsgId, error) =>
    set((s) => ({ outbox: s.outbox.map((m) => (m.clientMsgId === clientMsgId ? { ...m, status: 'failed', error } : m)) })),
  retry: (clientMsgId) =>
    set((s) => ({
      outbox: s.outbox.map((m) => (m.clientMsgId === clientMsgId ? { ...m, status: 'pending', error: undefined } : m)),
    })),
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
  reset: () => set({ outbox: [], drafts: {}, typing: {} }),
}));

/** A sortable, unique id for a send (UUIDv7: millisecond time, then randomness). */
export function newClientMsgId(now = Date.now()): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const time = BigInt(now);
  for (let i = 0; i < 6; i++) bytes[i] = Number((time >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
