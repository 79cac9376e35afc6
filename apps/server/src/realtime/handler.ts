import {
  clientEvents,
  fail,
  ok,
  type Ack,
  type ClientEventName,
  type ClientResult,
  type ParsedClientPayload,
  type User,
} from '@parley/protocol';
import { toApiError } from '../edge/api-error.js';
import { parseInput } from '../edge/validation.js';
import type { RealtimeDeps } from './deps.js';
import { InFlight } from './in-flight.js';
import type { ParleySocket } from './types.js';

/** What a handler gets besides its payload: the socket, its user, and the app's services. */
export interface HandlerContext {
  socket: ParleySocket;
  me: User;
  deps: RealtimeDeps;
}

export type EventHandler<E extends ClientEventName> = (ctx: HandlerContext, payload: ParsedClientPayload<E>) => Promise<ClientResult<E>>;

/** Handlers by event, defined once for all sockets (no per-socket closures or listener maps). */
export type HandlerTable = { [E in ClientEventName]?: EventHandler<E> };

/**
 * Gives each socket one listener for every event: the same function for all sockets, so an idle
 * socket carries no closure of its own (issue 18: memory per idle connection). Each client event
 * is counted against the user's rate limit, its payload validated with the protocol schema, its
 * handler run, and its ack answered exactly once, every failure turned into an error Ack. Unknown
 * events that ask for an ack get INVALID; an event named "error" closes the connection. A client
 * that sent no callback gets no answer; nothing thrown escapes.
 */
export function createDispatcher(deps: RealtimeDeps, handlers: HandlerTable): (socket: ParleySocket) => void {
  // Made on a socket's first event (idle sockets carry none), dropped with the socket.
  const queues = new WeakMap<ParleySocket, InFlight>();
  function closeQueue(this: ParleySocket): void {
    queues.get(this)?.close();
  }
  // Socket.IO calls "any" listeners with the socket as `this`.
  function onEvent(this: ParleySocket, event: unknown, ...args: unknown[]): void {
    // "error" is reserved on both ends of Socket.IO; a client that sends it is not speaking the protocol.
    if (event === 'error') return void this.disconnect(true);
    let queue = queues.get(this);
    if (!queue) {
      queue = new InFlight(deps.limits.eventsInFlightPerSocket, deps.limits.eventsWaitingPerSocket);
      queues.set(this, queue);
      this.on('disconnect', closeQueue);
    }
    if (!queue.run(() => dispatch(this, deps, handlers, event, args))) {
      const last = args[args.length - 1];
      if (typeof last === 'function') last(fail('RATE_LIMITED', 'too many requests waiting for an answer; wait for some first'));
    }
  }
  return (socket) => void socket.onAny(onEvent);
}

async function dispatch(socket: ParleySocket, deps: RealtimeDeps, handlers: HandlerTable, event: unknown, args: unknown[]) {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (last as (response: Ack<unknown>) => void) : undefined;
  const known = typeof event === 'string' && Object.hasOwn(clientEvents, event);
  const handler = known ? (handlers[event as ClientEventName] as EventHandler<ClientEventName> | undefined) : undefined;
  if (!handler) {
    ack?.(fail('INVALID', 'unknown event'));
    return;
  }
  const name = event as ClientEventName;
  const started = performance.now();
  const payload = ack ? (args.length > 1 ? args[0] : undefined) : args[0];
  let response: Ack<unknown>;
  try {
    const ctx: HandlerContext = { socket, me: socket.data.user, deps };
    // Counted before anything else, so a flood costs the server as little as possible.
    await deps.rateLimits.event(name, ctx.me.id);
    response = ok(await handler(ctx, parseInput(clientEvents[name].payload, payload) as ParsedClientPayload<ClientEventName>));
  } catch (error) {
    const { code, message } = toApiError(error, deps.logger.child({ event: name, userId: socket.data.user?.id }));
    response = fail(code, message);
  }
  deps.metrics.observeAck(name, response.ok ? 'ok' : response.error.code, (performance.now() - started) / 1000);
  try {
    ack?.(response);
  } catch (error) {
    deps.logger.warn({ err: error, event: name }, 'could not send ack');
  }
}
