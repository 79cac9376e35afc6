import { create } from 'zustand';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

interface ConnectionState {
  status: ConnectionStatus;
  /** Bumped on every (re)connection, so views can catch up after it. */
  generation: number;
  setStatus(status: ConnectionStatus): void;
  connected(): void;
}

export const useConnectionStore = create<ConnectionState>()((set) => ({
  status: 'connecting',
  generation: 0,
  setStatus: (status) => set({ status }),
  connected: () => set((s) => ({ status: 'connected', generation: s.generation + 1 })),
}));
