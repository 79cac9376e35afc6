import type { SocketData } from '@parley/protocol';
import type { Logger } from 'pino';
import type { ParleyServer } from './types.js';

/** What an adapter hands back when it restores a disconnected socket's state. */
interface RestoredSession {
  sid: string;
  pid: string;
  rooms: string[];
  data: SocketData;
  missedPackets: unknown[][];
}

interface RecoveringAdapter {
  restoreSession(pid: string, offset: string): Promise<RestoredSession | null> | RestoredSession | null;
}

/** Decides whether a socket may get back the rooms it had: its login still holds, and so do its memberships. */
export type RecoveryCheck = (session: { sid: string; data: SocketData; rooms: readonly string[] }) => Promise<boolean>;

/**
 * Connection state recovery restores a socket's rooms and writes the packets it missed in the
 * Socket constructor, before any middleware runs. So the check has to sit in front of the
 * adapter's restoreSession: a session is restored only when `check` passes; otherwise the client
 * connects as new, through the handshake middleware, and catches up from history.
 *
 * Call it after the adapter is chosen (`io.adapter(...)` replaces the namespace's adapter).
 */
export function guardRecovery(io: ParleyServer, check: RecoveryCheck, logger: Logger): void {
  const adapter = io.of('/').adapter as unknown as RecoveringAdapter;
  const restore = adapter.restoreSession.bind(adapter);
  adapter.restoreSession = async (pid, offset) => {
    const session = await restore(pid, offset);
    if (!session) return null;
    try {
      return (await check(session)) ? session : null;
    } catch (error) {
      logger.warn({ err: error }, 'could not check a recovering socket; connecting it as new');
      return null;
    }
  };
}
