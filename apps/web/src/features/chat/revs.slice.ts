import type { StateCreator } from 'zustand';
import type { ChatState } from './chat.store';

/**
 * How far a room's change stream has been followed: every change up to `lastRev` is held, and
 * `ahead` lists revs above it seen live (so a catch-up that crosses them advances past them).
 */
export interface RoomRevs {
  lastRev: number;
  ahead: number[];
}

/** 'next': in order; 'gap': changes are missing below it; 'old': at or below lastRev; 'unknown': no start point yet. */
export type RevNote = 'next' | 'gap' | 'old' | 'unknown';

/** Revs above lastRev remembered per room; past this the oldest are forgotten (a catch-up fetches them again). */
const MAX_AHEAD = 1_000;

/** Moves lastRev up through the revs seen ahead of it, and drops those it passed. */
function advance(lastRev: number, ahead: readonly number[]): RoomRevs {
  const sorted = [...new Set(ahead)].filter((rev) => rev > lastRev).sort((a, b) => a - b);
  let last = lastRev;
  while (sorted.length > 0 && sorted[0] === last + 1) last = sorted.shift()!;
  return { lastRev: last, ahead: sorted.slice(-MAX_AHEAD) };
}

/** The chat store's part that follows each room's change stream (`rev`): where it is, and the gaps. */
export interface RevsSlice {
  /** Per room, how far its change stream (`rev`) has been followed: see `RoomRevs`. */
  revs: Record<string, RoomRevs>;
  /**
   * Sets where a room's change stream starts from (the room list's `lastRev`), if not set yet; with
   * `forward`, also moves it forward (never back): for a room whose messages are not held, where
   * nothing was missed that matters.
   */
  initRev(roomId: string, lastRev: number, forward?: boolean): void;
  /** Forgets a room's stream position (a room left). */
  forgetRev(roomId: string): void;
  /** Records a change seen live; says whether changes are missing below it ('gap'). */
  noteRev(roomId: string, rev: number): RevNote;
  /** Records a `message:changes` answer: everything up to `lastRev` is held. Returns true while a gap remains. */
  caughtUp(roomId: string, lastRev: number): boolean;
}

export const createRevsSlice: StateCreator<ChatState, [], [], RevsSlice> = (set, get) => ({
  revs: {},
  initRev: (roomId, lastRev, forward = false) => {
    const held = get().revs[roomId];
    if (held && (!forward || lastRev <= held.lastRev)) return;
    const next = advance(held ? Math.max(held.lastRev, lastRev) : lastRev, held?.ahead ?? []);
    set((s) => ({ revs: { ...s.revs, [roomId]: next } }));
  },
  forgetRev: (roomId) => {
    if (!(roomId in get().revs)) return;
    set((s) => {
      const { [roomId]: _forgotten, ...revs } = s.revs;
      return { revs };
    });
  },
  noteRev: (roomId, rev) => {
    const held = get().revs[roomId];
    if (!held) return 'unknown';
    if (rev <= held.lastRev) return 'old';
    const next = advance(held.lastRev, [...held.ahead, rev]);
    set((s) => ({ revs: { ...s.revs, [roomId]: next } }));
    return next.ahead.length > 0 ? 'gap' : 'next';
  },
  caughtUp: (roomId, lastRev) => {
    const held = get().revs[roomId];
    const next = advance(Math.max(held?.lastRev ?? 0, lastRev), held?.ahead ?? []);
    set((s) => ({ revs: { ...s.revs, [roomId]: next } }));
    return next.ahead.length > 0;
  },
});
