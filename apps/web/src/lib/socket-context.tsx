import { createContext, useContext } from 'react';
import type { ParleySocket } from './socket';

export const SocketContext = createContext<ParleySocket | null>(null);

/** The signed-in user's socket. Only inside the signed-in part of the app. */
export function useSocket(): ParleySocket {
  const socket = useContext(SocketContext);
  if (!socket) throw new Error('useSocket outside of a signed-in session');
  return socket;
}
