import { LIMITS, type Message } from '@parley/protocol';
import type { Storage } from '../../../src/storage/storage.js';
import { checkDelivery, type DeliveryLog } from './checker.js';
import type { DeliveryClient } from './delivery-client.js';

/** Every stored message of the rooms, read page by page through the storage interface. */
export async function storedMessages(storage: Storage, roomIds: readonly string[]): Promise<Map<string, Message[]>> {
  const stored = new Map<string, Message[]>();
  for (const roomId of roomIds) {
    const all: Message[] = [];
    for (;;) {
      const page = await storage.messages.history(roomId, { after: all.at(-1)?.seq ?? 0, limit: LIMITS.historyLimitMax });
      all.push(...page);
      if (page.length < LIMITS.historyLimitMax) break;
    }
    stored.set(roomId, all);
  }
  return stored;
}

/**
 * Waits until every client has sent everything and holds `count` messages of every room it is
 * in. Resolves with what did not happen in time (the checker then says what is missing).
 */
export async function settle(
  clients: readonly DeliveryClient[],
  counts: ReadonlyMap<string, number>,
  timeoutMs = 30_000,
): Promise<string | undefined> {
  const done = (c: DeliveryClient) => c.pending === 0 && [...counts].every(([roomId, n]) => !c.follows(roomId) || c.holds(roomId, n));
  return Promise.all(clients.map((client) => client.until(done, timeoutMs, 'settling'))).then(
    () => undefined,
    (error: Error) => error.message,
  );
}

/** Runs the checker, prints its summary (the test log is the record of what happened), returns its problems. */
export function verify(log: DeliveryLog, stored: Map<string, Message[]>, clients: readonly DeliveryClient[], header: string): string[] {
  const report = checkDelivery(log, stored, new Map(clients.map((c) => [c.name, c.view()])));
  const connections = clients.map((c) => `${c.name} ${c.connections} connections (${c.recoveries} recovered)`).join(', ');
  console.info(
    `${header}\n${report.summary}\n  ${connections}${report.problems.length ? `\n  problems:\n    ${report.problems.slice(0, 20).join('\n    ')}` : ''}`,
  );
  return report.problems;
}
