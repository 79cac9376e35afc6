import type { Message } from '@parley/protocol';

export interface SendRecord {
  client: string;
  roomId: string;
  clientMsgId: string;
  text: string;
  /** A thread reply: its root, chosen when the send was first tried. */
  threadRootId: string | null;
}

/** An edit, delete or reaction, with its payload as first sent (every retry sends the same). */
export interface MutationRecord {
  client: string;
  /** The user the client is signed in as: whose reaction a `react` sets. */
  userId: string;
  opId: string;
  kind: 'edit' | 'delete' | 'react';
  roomId: string;
  messageId: string;
  text?: string;
  emoji?: string;
  on?: boolean;
}

/** A change that reached a client as an event (not as an ack or a catch-up). */
export interface EventRecord {
  client: string;
  event: 'message:created' | 'message:updated';
  message: Message;
}

/** One page of `message:changes` a client applied: it covers the revs (afterRev, lastRev]. */
export interface CatchUpRecord {
  client: string;
  roomId: string;
  afterRev: number;
  lastRev: number;
  messages: number;
}

/**
 * A history of one fault test, in the style of Jepsen: every operation, every answer and every
 * change each client received are recorded as they happen; `checkDelivery` (checker.ts) compares
 * them with what the database holds at the end, against the guarantee of docs/delivery.md.
 */
export class DeliveryLog {
  readonly sends: SendRecord[] = [];
  readonly acks: Array<{ client: string; clientMsgId: string; message: Message }> = [];
  /** Error acks, by code: a send answered with an error is not acknowledged. */
  readonly errors: Array<{ client: string; clientMsgId: string; code: string }> = [];
  readonly mutations: MutationRecord[] = [];
  readonly mutationAcks: Array<{ client: string; opId: string; message: Message }> = [];
  readonly mutationErrors: Array<{ client: string; opId: string; code: string }> = [];
  /** Operations dropped before they were sent: their target never existed (its send failed) or there was none. */
  readonly skipped: Array<{ client: string; kind: string; reason: string }> = [];
  readonly events: EventRecord[] = [];
  readonly catchUps: CatchUpRecord[] = [];
  /** Every message that reached each client (events, acks, catch-up pages), duplicates included. */
  readonly receipts = new Map<string, number>();
  private readonly ackListeners = new Set<() => void>();

  sent(record: SendRecord): void {
    this.sends.push(record);
  }

  acked(client: string, clientMsgId: string, message: Message): void {
    this.acks.push({ client, clientMsgId, message });
    this.notify();
  }

  failed(client: string, clientMsgId: string, code: string): void {
    this.errors.push({ client, clientMsgId, code });
  }

  mutated(record: MutationRecord): void {
    this.mutations.push(record);
  }

  mutationAcked(client: string, opId: string, message: Message): void {
    this.mutationAcks.push({ client, opId, message });
    this.notify();
  }

  mutationFailed(client: string, opId: string, code: string): void {
    this.mutationErrors.push({ client, opId, code });
  }

  skip(client: string, kind: string, reason: string): void {
    this.skipped.push({ client, kind, reason });
  }

  event(client: string, event: EventRecord['event'], message: Message): void {
    this.events.push({ client, event, message });
    this.received(client);
  }

  caughtUp(record: CatchUpRecord): void {
    this.catchUps.push(record);
  }

  received(client: string, count = 1): void {
    this.receipts.set(client, (this.receipts.get(client) ?? 0) + count);
  }

  /** How many operations of this kind were acknowledged. */
  acknowledged(kind: MutationRecord['kind']): number {
    const kinds = new Map(this.mutations.map((m) => [m.opId, m.kind]));
    return this.mutationAcks.filter((a) => kinds.get(a.opId) === kind).length;
  }

  /** Resolves once `count` acks of any operation (retries included) have been recorded. */
  whenAcked(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.acks.length + this.mutationAcks.length < count) return;
        this.ackListeners.delete(check);
        resolve();
      };
      this.ackListeners.add(check);
      check();
    });
  }

  private notify(): void {
    for (const listener of [...this.ackListeners]) listener();
  }
}
