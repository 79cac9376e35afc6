import { isDeepStrictEqual } from 'node:util';
import type { Message } from '@parley/protocol';
import type { DeliveryLog } from './delivery-log.js';
import { checkMutations, checkThreads } from './expected-state.js';

export { DeliveryLog } from './delivery-log.js';

/** A room as the server holds it at the end. */
export interface StoredRoom {
  /** Every message in its current state, read with message:changes from rev 0, in seq order. */
  messages: Message[];
  /** The same room read page by page with message:history, in seq order: must be the same. */
  history: Message[];
  /** The room's lastRev (the last page of message:changes). */
  lastRev: number;
}

/** A client's final state of a room: what its user would see. */
export interface ClientView {
  messages: Message[];
  lastRev: number;
}

export interface DeliveryReport {
  problems: string[];
  summary: string;
}

/**
 * Compares a fault test's log with what the database holds at the end, against the guarantee of
 * docs/delivery.md: the four points for messages, then the change stream (every client ends
 * with exactly the server's current state of every message, saw no change twice as an event,
 * and covered every rev by events and catch-ups).
 */
export function checkDelivery(
  log: DeliveryLog,
  stored: ReadonlyMap<string, StoredRoom>,
  views: ReadonlyMap<string, ReadonlyMap<string, ClientView>>,
): DeliveryReport {
  const problems: string[] = [];
  const storedById = new Map<string, Message>();
  for (const [roomId, room] of stored) {
    checkStoredRoom(roomId, room, problems);
    for (const message of room.messages) storedById.set(message.id, message);
    checkThreads(room.messages, problems);
  }
  checkSends(log, storedById, problems);
  checkMutations(log, storedById, problems);
  checkRevsAgree(log, problems);

  const lines: string[] = [];
  let missingTotal = 0;
  let staleTotal = 0;
  let duplicatesTotal = 0;
  for (const [client, rooms] of views) {
    const counts = { missing: 0, stale: 0, duplicates: 0, uncovered: 0, held: 0 };
    for (const [roomId, view] of rooms) checkView(client, roomId, view, stored.get(roomId), log, counts, problems);
    missingTotal += counts.missing;
    staleTotal += counts.stale;
    duplicatesTotal += counts.duplicates;
    const events = log.events.filter((e) => e.client === client);
    const pages = log.catchUps.filter((c) => c.client === client);
    lines.push(
      `  ${client}: received ${log.receipts.get(client) ?? 0} (${events.length} events, ` +
        `${pages.length} catch-up pages of ${pages.reduce((n, p) => n + p.messages, 0)}), holds ${counts.held}, ` +
        `missing ${counts.missing}, stale ${counts.stale}, events twice ${counts.duplicates}, revs uncovered ${counts.uncovered}`,
    );
  }

  const messages = [...stored.values()].flatMap((r) => r.messages);
  const ops = (kind: string) => log.mutations.filter((m) => m.kind === kind).length;
  const summary = [
    `sent ${log.sends.length} (${log.sends.filter((s) => s.threadRootId).length} thread replies), edits ${ops('edit')}, ` +
      `deletes ${ops('delete')}, reactions ${ops('react')}, skipped ${log.skipped.length}; ` +
      `acks ${log.acks.length + log.mutationAcks.length}, error acks ${log.errors.length + log.mutationErrors.length}; ` +
      `stored ${messages.length} (${messages.filter((m) => m.deleted).length} deleted), ` +
      `revs ${[...stored.values()].map((r) => r.lastRev).join('+')}; missing ${missingTotal}, stale ${staleTotal}, ` +
      `events twice ${duplicatesTotal}, problems ${problems.length}`,
    ...lines,
  ].join('\n');
  return { problems, summary };
}

/** Seqs 1..N; revs unique, the latest being the room's lastRev; both reads of the room agree. */
function checkStoredRoom(roomId: string, room: StoredRoom, problems: string[]): void {
  room.messages.forEach((message, i) => {
    if (message.seq !== i + 1) problems.push(`${roomId}: stored seq ${message.seq} at position ${i + 1} (gap or reuse)`);
  });
  const revs = room.messages.map((m) => m.rev);
  if (new Set(revs).size !== revs.length) problems.push(`${roomId}: two messages hold the same rev`);
  const latest = Math.max(0, ...revs);
  if (latest !== room.lastRev) problems.push(`${roomId}: lastRev ${room.lastRev}, but the latest change has rev ${latest}`);
  if (!isDeepStrictEqual(room.history, room.messages)) problems.push(`${roomId}: message:changes from 0 and message:history disagree`);
}

/** Points 1, 2 and 4 of docs/delivery.md for the sends. */
function checkSends(log: DeliveryLog, storedById: ReadonlyMap<string, Message>, problems: string[]): void {
  const bySend = new Map<string, Message[]>();
  for (const m of storedById.values()) {
    const key = `${m.roomId}|${m.author.id}|${m.clientMsgId}`;
    bySend.set(key, [...(bySend.get(key) ?? []), m]);
  }
  // 2. One clientMsgId, one message, however often it was retried.
  for (const [key, messages] of bySend) if (messages.length > 1) problems.push(`send ${key} stored ${messages.length} times`);
  const ackedIds = new Map<string, Set<string>>();
  // 1. Acknowledged means stored: every ack names a stored message, as it was when acknowledged.
  for (const { client, clientMsgId, message } of log.acks) {
    const key = `${client}|${clientMsgId}`;
    ackedIds.set(key, (ackedIds.get(key) ?? new Set()).add(message.id));
    const found = storedById.get(message.id);
    if (!found) problems.push(`${client}: ack for ${clientMsgId} names ${message.id}, which is not stored`);
    else if (found.seq !== message.seq || found.clientMsgId !== clientMsgId || found.rev < message.rev)
      problems.push(`${client}: ack for ${clientMsgId} differs from the stored message`);
  }
  for (const [key, ids] of ackedIds) if (ids.size > 1) problems.push(`send ${key} was acknowledged as ${ids.size} different messages`);

  const storedBySendId = new Map([...storedById.values()].map((m) => [m.clientMsgId, m]));
  // An error answer means nothing was stored: the user is told it failed, so it must be true.
  for (const { client, clientMsgId, code } of log.errors) {
    if (storedBySendId.has(clientMsgId)) problems.push(`${client}: ${clientMsgId} answered ${code} but is stored`);
    // A reply may be refused (CONFLICT) only because its root was deleted meanwhile.
    const send = log.sends.find((s) => s.clientMsgId === clientMsgId);
    if (code === 'CONFLICT' && !(send?.threadRootId && storedById.get(send.threadRootId)?.deleted))
      problems.push(`${client}: ${clientMsgId} answered CONFLICT, but it is no reply to a deleted message`);
  }
  // 4. Nothing typed was dropped, and each user's messages are stored in the order they were typed.
  const lastSeq = new Map<string, number>();
  for (const send of log.sends) {
    const message = storedBySendId.get(send.clientMsgId);
    if (!message) {
      if (!log.errors.some((e) => e.clientMsgId === send.clientMsgId))
        problems.push(`${send.client}: ${send.clientMsgId} was neither stored nor reported as failed`);
      continue;
    }
    if (message.threadRootId !== send.threadRootId) problems.push(`${send.clientMsgId} stored in another thread`);
    const key = `${send.client}|${send.roomId}`;
    if (message.seq < (lastSeq.get(key) ?? 0)) problems.push(`${send.client}: ${send.clientMsgId} stored before an earlier send`);
    lastSeq.set(key, message.seq);
  }
}

/** One rev is one change: every event and ack naming a (room, rev) carries the same message state. */
function checkRevsAgree(log: DeliveryLog, problems: string[]): void {
  const byRev = new Map<string, Message>();
  const seen = [...log.events.map((e) => e.message), ...log.acks.map((a) => a.message), ...log.mutationAcks.map((a) => a.message)];
  for (const message of seen) {
    const key = `${message.roomId} rev ${message.rev}`;
    const first = byRev.get(key);
    if (!first) byRev.set(key, message);
    else if (!isDeepStrictEqual(first, message)) problems.push(`${key} was given to two different states (${first.id}, ${message.id})`);
  }
}

/** A client's final state of a room against the stored one, its events and its catch-up pages. */
function checkView(
  client: string,
  roomId: string,
  view: ClientView,
  room: StoredRoom | undefined,
  log: DeliveryLog,
  counts: { missing: number; stale: number; duplicates: number; uncovered: number; held: number },
  problems: string[],
): void {
  const expected = room?.messages ?? [];
  const held = new Map(view.messages.map((m) => [m.id, m]));
  counts.held += held.size;
  const missing = expected.filter((m) => !held.has(m.id));
  const stale = expected.filter((m) => held.has(m.id) && !isDeepStrictEqual(held.get(m.id), m));
  const unknown = view.messages.filter((m) => !expected.some((e) => e.id === m.id));
  counts.missing += missing.length;
  counts.stale += stale.length;
  if (missing.length)
    problems.push(`${client}: misses ${missing.length} of ${expected.length} messages in ${roomId} (first seq ${missing[0]!.seq})`);
  if (stale.length)
    problems.push(`${client}: holds ${stale.length} messages of ${roomId} in another state than stored (first seq ${stale[0]!.seq})`);
  if (unknown.length) problems.push(`${client}: holds ${unknown.length} messages in ${roomId} that are not stored`);
  const lastRev = room?.lastRev ?? 0;
  if (view.lastRev !== lastRev) problems.push(`${client}: ends at rev ${view.lastRev} of ${roomId}, the room is at ${lastRev}`);

  // Nothing twice: no change reaches a client twice as an event (docs/delivery.md says when it could).
  const revs = log.events.filter((e) => e.client === client && e.message.roomId === roomId).map((e) => e.message.rev);
  const duplicates = revs.length - new Set(revs).size;
  counts.duplicates += duplicates;
  if (duplicates > 0) problems.push(`${client}: ${duplicates} changes of ${roomId} arrived twice as events`);

  // Nothing lost: every rev 1..lastRev came as an event or lies in a catch-up page's range.
  const covered = new Uint8Array(lastRev + 1);
  for (const rev of revs) if (rev <= lastRev) covered[rev] = 1;
  for (const page of log.catchUps) {
    if (page.client !== client || page.roomId !== roomId) continue;
    for (let rev = page.afterRev + 1; rev <= Math.min(page.lastRev, lastRev); rev++) covered[rev] = 1;
  }
  const uncovered = covered.subarray(1).filter((c) => c === 0).length;
  counts.uncovered += uncovered;
  if (uncovered > 0) problems.push(`${client}: ${uncovered} revs of ${roomId} came neither as events nor in a catch-up`);
}
