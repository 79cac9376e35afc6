import type { Message } from '@parley/protocol';

/**
 * A history of one fault test, in the style of Jepsen: every send, every ack and every message
 * each client received are recorded as they happen; `checkDelivery` compares them with what the
 * database holds at the end, against the four points of docs/delivery.md.
 */
export class DeliveryLog {
  readonly sends: Array<{ client: string; roomId: string; clientMsgId: string; text: string }> = [];
  readonly acks: Array<{ client: string; clientMsgId: string; message: Message }> = [];
  /** Error acks, by code: a send answered with an error is not acknowledged. */
  readonly errors: Array<{ client: string; clientMsgId: string; code: string }> = [];
  /** Every message:created, ack and history message that reached each client, duplicates included. */
  readonly receipts = new Map<string, number>();
  private readonly ackListeners = new Set<() => void>();

  sent(client: string, roomId: string, clientMsgId: string, text: string): void {
    this.sends.push({ client, roomId, clientMsgId, text });
  }

  acked(client: string, clientMsgId: string, message: Message): void {
    this.acks.push({ client, clientMsgId, message });
    for (const listener of this.ackListeners) listener();
  }

  failed(client: string, clientMsgId: string, code: string): void {
    this.errors.push({ client, clientMsgId, code });
  }

  received(client: string): void {
    this.receipts.set(client, (this.receipts.get(client) ?? 0) + 1);
  }

  /** Resolves once `count` acks (retries included) have been recorded. */
  whenAcked(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.acks.length < count) return;
        this.ackListeners.delete(check);
        resolve();
      };
      this.ackListeners.add(check);
      check();
    });
  }
}

export interface DeliveryReport {
  problems: string[];
  summary: string;
}

/**
 * @param stored every room's messages as the database holds them, in seq order
 * @param views every client's final messages per room (what its user would see), in its order
 */
export function checkDelivery(
  log: DeliveryLog,
  stored: ReadonlyMap<string, readonly Message[]>,
  views: ReadonlyMap<string, ReadonlyMap<string, readonly Message[]>>,
): DeliveryReport {
  const problems: string[] = [];
  const storedById = new Map<string, Message>();
  const storedBySend = new Map<string, Message[]>();
  for (const [roomId, messages] of stored) {
    messages.forEach((message, i) => {
      if (message.seq !== i + 1) problems.push(`${roomId}: stored seq ${message.seq} at position ${i + 1} (gap or reuse)`);
      storedById.set(message.id, message);
      const key = `${roomId}|${message.author.id}|${message.clientMsgId}`;
      storedBySend.set(key, [...(storedBySend.get(key) ?? []), message]);
    });
  }

  // 1. Acknowledged means stored: every ack names a stored message, exactly as stored.
  for (const { client, clientMsgId, message } of log.acks) {
    const found = storedById.get(message.id);
    if (!found) problems.push(`${client}: ack for ${clientMsgId} names ${message.id}, which is not stored`);
    else if (found.seq !== message.seq || found.text !== message.text)
      problems.push(`${client}: ack for ${clientMsgId} differs from the stored message`);
  }

  // 2. One clientMsgId, one message, however often it was retried.
  for (const [key, messages] of storedBySend) {
    if (messages.length > 1) problems.push(`send ${key} stored ${messages.length} times`);
  }
  const ackedIds = new Map<string, Set<string>>();
  for (const { client, clientMsgId, message } of log.acks) {
    const key = `${client}|${clientMsgId}`;
    ackedIds.set(key, (ackedIds.get(key) ?? new Set()).add(message.id));
  }
  for (const [key, ids] of ackedIds) {
    if (ids.size > 1) problems.push(`send ${key} was acknowledged as ${ids.size} different messages`);
  }

  // An error answer means nothing was stored: the user is told it failed, so it must be true.
  for (const { client, clientMsgId, code } of log.errors) {
    if ([...storedById.values()].some((m) => m.clientMsgId === clientMsgId))
      problems.push(`${client}: ${clientMsgId} answered ${code} but is stored`);
  }

  // 4. Nothing typed was dropped, and each user's messages are stored in the order they were typed.
  const storedSendIds = new Map([...storedById.values()].map((m) => [m.clientMsgId, m]));
  const lastSeqByAuthorRoom = new Map<string, number>();
  for (const send of log.sends) {
    const message = storedSendIds.get(send.clientMsgId);
    const failed = log.errors.some((e) => e.clientMsgId === send.clientMsgId);
    if (!message) {
      if (!failed) problems.push(`${send.client}: ${send.clientMsgId} was neither stored nor reported as failed`);
      continue;
    }
    if (message.text !== send.text) problems.push(`${send.clientMsgId} stored with other text`);
    const key = `${send.client}|${send.roomId}`;
    const previous = lastSeqByAuthorRoom.get(key) ?? 0;
    if (message.seq < previous)
      problems.push(`${send.client}: ${send.clientMsgId} stored before an earlier send (seq ${message.seq} < ${previous})`);
    lastSeqByAuthorRoom.set(key, message.seq);
  }

  // 3. Every member ends with every stored message of the room, once, in seq order, no gaps.
  const lines: string[] = [];
  let gapsTotal = 0;
  let duplicatesTotal = 0;
  for (const [client, rooms] of views) {
    let gaps = 0;
    let duplicates = 0;
    let held = 0;
    for (const [roomId, view] of rooms) {
      const expected = stored.get(roomId) ?? [];
      const seen = new Set<string>();
      for (const message of view) {
        if (seen.has(message.id)) duplicates += 1;
        seen.add(message.id);
        if (!storedById.has(message.id)) problems.push(`${client}: holds ${message.id} in ${roomId}, which is not stored`);
      }
      const missing = expected.filter((m) => !seen.has(m.id));
      gaps += missing.length;
      held += seen.size;
      if (missing.length > 0)
        problems.push(`${client}: misses ${missing.length} of ${expected.length} messages in ${roomId} (first seq ${missing[0]!.seq})`);
      const order = view.map((m) => m.seq);
      if (order.some((seq, i) => i > 0 && seq <= order[i - 1]!)) problems.push(`${client}: ${roomId} is not in seq order`);
    }
    if (duplicates > 0) problems.push(`${client}: holds ${duplicates} duplicates`);
    gapsTotal += gaps;
    duplicatesTotal += duplicates;
    lines.push(
      `  ${client}: received ${log.receipts.get(client) ?? 0} (with redeliveries), holds ${held}, gaps ${gaps}, duplicates ${duplicates}`,
    );
  }

  const storedCount = [...stored.values()].reduce((n, m) => n + m.length, 0);
  const summary = [
    `sent ${log.sends.length}, acks ${log.acks.length} (${new Set(log.acks.map((a) => a.clientMsgId)).size} distinct), ` +
      `error acks ${log.errors.length}, stored ${storedCount}, gaps ${gapsTotal}, duplicates ${duplicatesTotal}, problems ${problems.length}`,
    ...lines,
  ].join('\n');
  return { problems, summary };
}
