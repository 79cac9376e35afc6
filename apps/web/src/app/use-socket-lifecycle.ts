import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { meQueryOptions } from '../features/auth/api/auth.api';
import { useConnectionStore } from '../lib/connection.store';
import { endSession } from '../lib/session';
import { createSocket, type ParleySocket } from '../lib/socket';

const SERVER_REFUSAL_RETRY_MS = 5_000;

/**
 * One socket per signed-in session. Tracks its state for the banner, drops it while the
 * browser says it is offline (a WebSocket would otherwise linger until a heartbeat times out),
 * and signs out when the server no longer accepts the session.
 */
export function useSocketLifecycle(): ParleySocket {
  const [socket] = useState(() => createSocket());
  const queryClient = useQueryClient();

  useEffect(() => {
    const store = useConnectionStore.getState();
    const signedOut = () => endSession(queryClient);

    socket.on('connect', () => store.connected(socket.recovered));
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') {
        // The server closed this socket: this session may have ended (signed out elsewhere, the
        // password changed on another device, the account deleted). Ask before reconnecting: no
        // session shows the sign-in page; a live one (or no answer) reconnects, and a refused
        // handshake (UNAUTHORIZED, below) signs out all the same.
        store.setStatus('reconnecting');
        queryClient.fetchQuery({ ...meQueryOptions, staleTime: 0 }).then(
          (user) => (user ? socket.connect() : signedOut()),
          () => socket.connect(),
        );
        return;
      }
      store.setStatus(navigator.onLine ? 'reconnecting' : 'offline');
    });
    let retry: ReturnType<typeof setTimeout> | undefined;
    socket.on('connect_error', (error) => {
      if (error.message === 'UNAUTHORIZED') {
        socket.disconnect();
        signedOut();
        return;
      }
      if (error.message === 'UNSUPPORTED_PROTOCOL') {
        // The server no longer speaks this page's protocol: only a reload helps (the update banner offers it).
        socket.disconnect();
        store.setStatus('reconnecting');
        return;
      }
      store.setStatus(navigator.onLine ? 'reconnecting' : 'offline');
      // A refusal by the server (UNAVAILABLE, RATE_LIMITED: too many connections) is not retried
      // by Socket.IO itself, unlike a network failure: try again a little later.
      if (!socket.active) {
        clearTimeout(retry);
        retry = setTimeout(() => navigator.onLine && socket.connect(), SERVER_REFUSAL_RETRY_MS);
      }
    });
    const goOffline = () => {
      store.setStatus('offline');
      socket.disconnect();
    };
    const goOnline = () => {
      store.setStatus('reconnecting');
      socket.connect();
    };
    window.addEventListener('offline', goOffline);
    window.addEventListener('online', goOnline);

    store.setStatus(navigator.onLine ? 'connecting' : 'offline');
    if (navigator.onLine) socket.connect();
    return () => {
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', goOnline);
      clearTimeout(retry);
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [socket, queryClient]);

  return socket;
}
