import { create } from 'zustand';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

interface ConnectionState {
  status: ConnectionStatus;
  /** Bumped on every (re)connection, so views can catch up after it. */
  generation: number;
  /** Whether the latest connection was restored by connection state recovery (missed events replayed). */
  recovered: boolean;
  setStatus(status: ConnectionStatus): void;
  connected(recovered?: boolean): void;
}

export const useConnectionStore = create<ConnectionState>()((set) => ({
  status: 'connecting',
  generation: 0,
  recovered: false,
  setStatus: (status) => set({ status }),
  connected: (recovered = false) => set((s) => ({ status: 'connected', generation: s.generation + 1, recovered })),
}));
