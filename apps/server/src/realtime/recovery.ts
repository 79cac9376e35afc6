import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
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

/** Socket.IO's namespace internals that decide between a new and a restored socket. */
interface SocketFactory {
  _createSocket(client: { request: IncomingMessage }, auth: Record<string, unknown>): Promise<unknown>;
}

/** The login a handshake proved, before anything about the old socket is looked up. */
export interface Claimant {
  userId: string;
  sessionId: string;
}

export interface RecoveryGuard {
  /** The session the handshake's own credentials (auth.token or cookie) prove, or null. */
  identify(request: IncomingMessage, auth: Record<string, unknown>): Promise<Claimant | null>;
  /** Whether the restored socket may get back its rooms: its login and its memberships still hold. */
  allow(session: { sid: string; data: SocketData; rooms: readonly string[] }): Promise<boolean>;
}

/** The claimant of the handshake that is being turned into a socket right now. */
const currentClaimant = new AsyncLocalStorage<Claimant | null>();

/**
 * Connection state recovery restores a socket's rooms and writes the packets it missed in the
 * Socket constructor, before any middleware runs. Socket.IO itself only checks that the `pid`
 * and `offset` are known, so whoever presents them would get the socket. The guard therefore:
 * 1. authenticates the handshake before the adapter is asked anything (no valid credentials: the
 *    adapter is not even asked, so nothing is restored or written);
 * 2. restores a session only to the same login (session id and user) that owned it;
 * 3. restores it only while that login is active and its memberships still hold.
 * Otherwise the client connects as new, through the handshake middleware, and catches up from history.
 *
 * Call it after the adapter is chosen (`io.adapter(...)` replaces the namespace's adapter).
 */
export function guardRecovery(io: ParleyServer, guard: RecoveryGuard, logger: Logger): void {
  const namespace = io.of('/');
  const factory = namespace as unknown as SocketFactory;
  const createSocket = factory._createSocket.bind(namespace);
  factory._createSocket = async (client, auth) => {
    if (typeof auth.pid !== 'string' || typeof auth.offset !== 'string') return createSocket(client, auth);
    let claimant: Claimant | null = null;
    try {
      claimant = await guard.identify(client.request, auth);
    } catch (error) {
      logger.warn({ err: error }, 'could not authenticate a recovering socket; connecting it as new');
    }
    return currentClaimant.run(claimant, () => createSocket(client, auth));
  };

  const adapter = namespace.adapter as unknown as RecoveringAdapter;
  const restore = adapter.restoreSession.bind(adapter);
  adapter.restoreSession = async (pid, offset) => {
    const claimant = currentClaimant.getStore();
    if (!claimant) return null;
    const session = await restore(pid, offset);
    if (!session) return null;
    if (session.data.sessionId !== claimant.sessionId || session.data.user?.id !== claimant.userId) {
      logger.warn({ userId: claimant.userId }, "refused to restore another login's socket");
      return null;
    }
    try {
      return (await guard.allow(session)) ? session : null;
    } catch (error) {
      logger.warn({ err: error }, 'could not check a recovering socket; connecting it as new');
      return null;
    }
  };
}
