import { LIMITS, type Message } from '@parley/protocol';
import type { Storage } from '../../../src/storage/storage.js';
import type { Client } from '../harness.js';
import { checkDelivery, type DeliveryLog, type StoredRoom } from './checker.js';
import type { DeliveryClient } from './delivery-client.js';

/**
 * Shares of the operations that are not plain sends (about a fifth are mutations; a few sends
 * are thread replies). Edits and deletes name the client's own earlier sends; reactions toggle
 * the client's own reaction on anyone's recent message.
 */
export const MIX = { edit: 0.08, react: 0.08, delete: 0.04, reply: 0.04 };
const EMOJI = ['👍', '🎉', '❤️', '🇫🇷'];

/**
 * Enqueues `total` operations round robin over the clients, each client going round its rooms:
 * sends, and in the shares of MIX edits, reaction toggles, deletes and thread replies. A client
 * never edits what it has already asked to delete (that would be refused, rightly).
 */
export function enqueueWorkload(
  clients: readonly DeliveryClient[],
  roomsOf: ReadonlyArray<readonly string[]>,
  total: number,
  random: () => number,
): void {
  const editable = clients.map(() => new Map<string, string[]>());
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const kinds = new Set<'edit' | 'delete' | 'react'>();
  for (let n = 0; n < total; n++) {
    const i = n % clients.length;
    const client = clients[i]!;
    const rooms = roomsOf[i]!;
    const roomId = rooms[Math.floor(n / clients.length) % rooms.length]!;
    const mine = editable[i]!.get(roomId) ?? [];
    editable[i]!.set(roomId, mine);
    const r = random();
    if (r < MIX.edit && mine.length > 0) {
      client.enqueue({ kind: 'edit', roomId, target: pick(mine), text: `${client.name} edit ${n}` });
      kinds.add('edit');
    } else if (r < MIX.edit + MIX.delete && mine.length > 0) {
      const target = pick(mine);
      mine.splice(mine.indexOf(target), 1);
      client.enqueue({ kind: 'delete', roomId, target });
      kinds.add('delete');
    } else if (r < MIX.edit + MIX.delete + MIX.react) {
      client.enqueue({ kind: 'react', roomId, emoji: pick(EMOJI) });
      kinds.add('react');
    } else {
      const reply = r >= 1 - MIX.reply;
      mine.push(client.enqueue({ kind: 'send', roomId, text: `${client.name} says ${n}${reply ? ' in a thread' : ''}`, reply }));
    }
  }
  // Every kind of change at least once, whatever the draw (the tests check that each was exercised):
  // the first client's own sends in its first room it still may change.
  const roomId = roomsOf[0]![0]!;
  const mine = editable[0]!.get(roomId) ?? [];
  if (!kinds.has('react')) clients[0]!.enqueue({ kind: 'react', roomId, emoji: pick(EMOJI) });
  if (!kinds.has('edit') && mine.length > 0) clients[0]!.enqueue({ kind: 'edit', roomId, target: mine[0]!, text: 'an edit at last' });
  if (!kinds.has('delete') && mine.length > 0) clients[0]!.enqueue({ kind: 'delete', roomId, target: mine.at(-1)! });
}

/**
 * Each room as storage holds it at the end: read with message:changes from rev 0 (the current
 * state of every message and the room's lastRev) and, to compare, with message:history.
 */
export async function storedRooms(storage: Storage, roomIds: readonly string[]): Promise<Map<string, StoredRoom>> {
  const rooms = new Map<string, StoredRoom>();
  for (const roomId of roomIds) {
    const messages: Message[] = [];
    let lastRev = 0;
    for (;;) {
      const page = await storage.messages.changes(roomId, lastRev, LIMITS.changesLimitMax);
      messages.push(...page.messages);
      lastRev = page.lastRev;
      if (!page.more) break;
    }
    const history: Message[] = [];
    for (;;) {
      const page = await storage.messages.history(roomId, { after: history.at(-1)?.seq ?? 0, limit: LIMITS.historyLimitMax });
      history.push(...page);
      if (page.length < LIMITS.historyLimitMax) break;
    }
    rooms.set(roomId, { messages: messages.sort((a, b) => a.seq - b.seq), history, lastRev });
  }
  return rooms;
}

/** Messages stored in the rooms, thread replies and deleted ones included. */
export function storedCount(stored: ReadonlyMap<string, StoredRoom>): number {
  return [...stored.values()].reduce((n, room) => n + room.messages.length, 0);
}

/** Each room's lastRev, from what storage holds. */
export function lastRevs(stored: ReadonlyMap<string, StoredRoom>): Map<string, number> {
  return new Map([...stored].map(([roomId, room]) => [roomId, room.lastRev]));
}

/** Each room's lastRev as the server tells a member: message:changes from rev 0, page by page. */
export async function lastRevsOver(member: Client, roomIds: readonly string[]): Promise<Map<string, number>> {
  const revs = new Map<string, number>();
  for (const roomId of roomIds) {
    let page = { lastRev: 0, more: true };
    while (page.more) page = await member.call('message:changes', { roomId, afterRev: page.lastRev, limit: LIMITS.changesLimitMax });
    revs.set(roomId, page.lastRev);
  }
  return revs;
}

/**
 * Waits until every client has sent everything and has seen every change of every room it is
 * in, up to the room's lastRev. Resolves with what did not happen in time (the checker then
 * says what is missing).
 */
export async function settle(
  clients: readonly DeliveryClient[],
  revs: ReadonlyMap<string, number>,
  timeoutMs = 30_000,
): Promise<string | undefined> {
  const done = (c: DeliveryClient) => c.pending === 0 && [...revs].every(([roomId, rev]) => !c.follows(roomId) || c.reached(roomId, rev));
  return Promise.all(clients.map((client) => client.until(done, timeoutMs, 'settling'))).then(
    () => undefined,
    (error: Error) => error.message,
  );
}

/** Runs the checker, prints its summary (the test log is the record of what happened), returns its problems. */
export function verify(
  log: DeliveryLog,
  stored: ReadonlyMap<string, StoredRoom>,
  clients: readonly DeliveryClient[],
  header: string,
): string[] {
  const report = checkDelivery(log, stored, new Map(clients.map((c) => [c.name, c.view()])));
  const connections = clients
    .map((c) => `${c.name} ${c.connections} connections (${c.recoveries} recovered, ${c.unavailable} retried after UNAVAILABLE)`)
    .join(', ');
  console.info(
    `${header}\n${report.summary}\n  ${connections}${report.problems.length ? `\n  problems:\n    ${report.problems.slice(0, 20).join('\n    ')}` : ''}`,
  );
  return report.problems;
}
