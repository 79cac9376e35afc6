import { create } from 'zustand';

interface ActiveRoomState {
  /** The room on screen, if any. */
  roomId: string | null;
  /** True while the room is on screen, the page visible and the list scrolled to the newest message. */
  readingLive: boolean;
  setActiveRoom(roomId: string | null): void;
  setReadingLive(readingLive: boolean): void;
}

export const useActiveRoomStore = create<ActiveRoomState>()((set) => ({
  roomId: null,
  readingLive: false,
  setActiveRoom: (roomId) => set({ roomId, readingLive: false }),
  setReadingLive: (readingLive) => set({ readingLive }),
}));
