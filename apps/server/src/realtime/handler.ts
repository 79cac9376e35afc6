import {
  clientEvents,
  fail,
  ok,
  type Ack,
  type ClientEventName,
  type ClientResult,
  type ParsedClientPayload,
} from '@parley/protocol';
import type { Logger } from 'pino';
import { toApiError } from '../api-error.js';
import { parseInput } from '../validation.js';
import type { ParleySocket } from './types.js';

export type EventHandler<E extends ClientEventName> = (payload: ParsedClientPayload<E>) => Promise<ClientResult<E>>;

/**
 * Registers a client event: validates the payload with the protocol schema, runs the handler
 * and answers the ack exactly once, turning every failure into an error Ack. A client that
 * sent no callback gets no answer; nothing thrown escapes.
 */
export function onEvent<E extends ClientEventName>(
  socket: ParleySocket,
  logger: Logger,
  event: E,
  handler: EventHandler<E>,
): void {
  const schema = clientEvents[event].payload;
  const listener = async (...args: unknown[]) => {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (last as (response: Ack<unknown>) => void) : undefined;
    const payload = ack ? (args.length > 1 ? args[0] : undefined) : args[0];
    let response: Ack<ClientResult<E>>;
    try {
      response = ok(await handler(parseInput(schema, payload) as ParsedClientPayload<E>));
    } catch (error) {
      const { code, message } = toApiError(error, logger.child({ event, userId: socket.data.user?.id }));
      response = fail(code, message);
    }
    try {
      ack?.(response);
    } catch (error) {
      logger.warn({ err: error, event }, 'could not send ack');
    }
  };
  (socket as unknown as { on(event: string, listener: (...args: unknown[]) => void): void }).on(event, listener);
}
