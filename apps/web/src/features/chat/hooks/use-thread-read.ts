import { useEffect, useRef } from 'react';
import { useConnectionStore } from '../../../lib/connection.store';
import { request } from '../../../lib/socket';
import { useSocket } from '../../../lib/socket-context';

/**
 * Moves my read marker in a thread (`thread:read`) to its newest reply held, while the thread is
 * on screen (`active`: open, the page visible, I am a member) and connected. Sent again only when
 * a newer reply arrives, or after a failure.
 */
export function useThreadRead(roomId: string, rootId: string, newestSeq: number, active: boolean): void {
  const socket = useSocket();
  const connected = useConnectionStore((s) => s.status === 'connected');
  const markedSeq = useRef(0);
  useEffect(() => {
    if (!active || !connected || newestSeq <= markedSeq.current) return;
    markedSeq.current = newestSeq;
    request(socket, 'thread:read', { roomId, threadRootId: rootId, seq: newestSeq }).catch(() => {
      markedSeq.current = 0;
    });
  }, [active, connected, newestSeq, socket, roomId, rootId]);
}
