import type { Ack, ClientEventName, ClientPayload, ClientResult } from '@parley/protocol';
import type { ParleySocket } from '../../src/lib/socket';

type Listener = (payload: unknown) => void;
type Answer<T> = Ack<T> | Promise<Ack<T>> | 'no-answer';
/** Plays the server for one event: checked against the protocol's payload and ack types. */
type Responder<E extends ClientEventName> = (payload: ClientPayload<E>) => Answer<ClientResult<E>>;

/**
 * A stand-in for the socket.io client: tests play the server, pushing events with `serverEmit`
 * and answering requests with `respond`. Records every request the app makes.
 */
export class FakeSocket {
  connected = true;
  /** Tests read the fields of the payloads they caused (`payload.clientMsgId`), whatever the event. */
  readonly requests: Array<{ event: string; payload: any }> = [];
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly responders = new Map<string, (payload: unknown) => Answer<unknown>>();

  on(event: string, listener: Listener) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
    return this;
  }

  off(event: string, listener: Listener) {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  removeAllListeners() {
    this.listeners.clear();
    return this;
  }

  serverEmit(event: string, payload?: unknown) {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }

  respond<E extends ClientEventName>(event: E, responder: Responder<E>) {
    // The app sent this event, so its payload is the event's (the socket's types saw to that).
    this.responders.set(event, (payload) => responder(payload as ClientPayload<E>));
  }

  emit(event: string, payload: unknown, ack?: (response: unknown) => void) {
    this.requests.push({ event, payload });
    const responder = this.responders.get(event);
    const answer = responder ? responder(payload) : { ok: true, data: {} };
    if (answer !== 'no-answer') void Promise.resolve(answer).then((a) => ack?.(a));
    return this;
  }

  timeout(_ms: number) {
    return {
      emitWithAck: (event: string, payload: unknown) =>
        new Promise((resolve, reject) => {
          this.requests.push({ event, payload });
          const responder = this.responders.get(event);
          const answer = responder ? responder(payload) : { ok: true, data: {} };
          if (answer === 'no-answer') queueMicrotask(() => reject(new Error('operation has timed out')));
          else void Promise.resolve(answer).then(resolve);
        }),
    };
  }

  asSocket(): ParleySocket {
    return this as unknown as ParleySocket;
  }
}

/**
 * The fake socket as the whole signed-in app uses it (app/use-socket-lifecycle.ts): connect and
 * disconnect are counted and change nothing; listeners stay when the app removes them all, so a
 * test can play the server after the app let go of the socket.
 */
export class AppSocket extends FakeSocket {
  active = false;
  recovered = false;
  connects = 0;
  disconnects = 0;
  connect() {
    this.connects += 1;
    return this;
  }
  disconnect() {
    this.disconnects += 1;
    return this;
  }
  override removeAllListeners() {
    return this;
  }
}
