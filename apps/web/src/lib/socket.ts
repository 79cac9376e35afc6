import {
  PROTOCOL_VERSION,
  type Ack,
  type ClientEventName,
  type ClientPayload,
  type ClientResult,
  type ClientToServerEvents,
  type ErrorCode,
  type ServerToClientEvents,
} from '@parley/protocol';
import { io, type Socket } from 'socket.io-client';

export type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A request over the socket that failed: an error ack, or no answer in time ('TIMEOUT'). */
export class SocketRequestError extends Error {
  constructor(
    readonly code: ErrorCode | 'TIMEOUT',
    message: string,
  ) {
    super(message);
  }
}

/**
 * This page's web build: index.html's `parley-build` meta, written by the build (`dev` under
 * `vite serve`); null when the page has none.
 */
export function pageBuild(): string | null {
  return document.querySelector<HTMLMetaElement>('meta[name="parley-build"]')?.content || null;
}

/**
 * The app's socket: cookie-authenticated, WebSocket first, long-polling when WebSocket fails. Its
 * handshake says which protocol version and web build this page speaks (the server refuses a
 * protocol it no longer speaks, and logs the build).
 */
export function createSocket(url?: string): ParleySocket {
  const build = pageBuild();
  const options = {
    auth: { protocol: PROTOCOL_VERSION, ...(build && { build }) },
    autoConnect: false,
    withCredentials: true,
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
  };
  return url ? io(url, options) : io(options);
}

/**
 * `socket.timeout(ms)` as `request` uses it. socket.io-client 4.8 cannot type this itself: with the
 * timeout flag every ack gains a leading error argument, so its emitWithAck result comes out as `any`,
 * and a generic event name does not resolve through its conditional parameter types. The protocol's
 * ClientToServerEvents says what each event carries and answers; this states it once, for any event.
 */
interface TimedRequests {
  emitWithAck<E extends ClientEventName>(event: E, payload: ClientPayload<E>): Promise<Ack<ClientResult<E>>>;
}

/** Emits a client event and resolves with the ack's data; rejects with SocketRequestError. */
export async function request<E extends ClientEventName>(
  socket: ParleySocket,
  event: E,
  payload: ClientPayload<E>,
  timeoutMs = 10_000,
): Promise<ClientResult<E>> {
  let ack: Ack<ClientResult<E>>;
  try {
    ack = await (socket.timeout(timeoutMs) as unknown as TimedRequests).emitWithAck(event, payload);
  } catch {
    throw new SocketRequestError('TIMEOUT', 'Parley did not answer in time.');
  }
  if (!ack.ok) throw new SocketRequestError(ack.error.code, ack.error.message);
  return ack.data;
}
