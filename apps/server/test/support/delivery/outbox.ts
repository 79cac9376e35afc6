import type { Ack, Message } from '@parley/protocol';
import type { DeliveryClient } from './delivery-client.js';
import type { DeliveryLog } from './delivery-log.js';

/** What a user does. Targets are resolved when the operation is first sent, as a user acts on what they see. */
export type Operation =
  /** A message; `reply`: in the thread of a recent top-level message of the room. */
  | { kind: 'send'; roomId: string; text: string; reply?: boolean }
  /** Edits or deletes one of my own earlier sends, named by its clientMsgId. */
  | { kind: 'edit'; roomId: string; target: string; text: string }
  | { kind: 'delete'; roomId: string; target: string }
  /** Toggles my reaction with this emoji on a recent message of anyone's. */
  | { kind: 'react'; roomId: string; emoji: string };

/** An operation's request, fixed when first sent: every retry sends exactly this. */
type Request =
  | { event: 'message:send'; payload: { roomId: string; clientMsgId: string; text: string; threadRootId?: string } }
  | { event: 'message:edit'; payload: { roomId: string; messageId: string; text: string } }
  | { event: 'message:delete'; payload: { roomId: string; messageId: string } }
  | { event: 'reaction:set'; payload: { roomId: string; messageId: string; emoji: string; on: boolean } };

interface Entry {
  id: string;
  operation: Operation;
  /** Undefined until first sent; null when there turned out to be nothing to do. */
  request?: Request | null;
}

/** How far back a user looks for a message to react to or reply under. */
const RECENT = 30;

/**
 * The client's outbox: operations sent one at a time, oldest first, each retried with the same
 * request until the server answers. Every mutation is idempotent by its result (CONTRACT.md v2),
 * so a blind retry of an edit, delete or reaction that was stored but not acknowledged changes
 * nothing and answers with the current state.
 */
export class Outbox {
  private readonly entries: Entry[] = [];
  /** clientMsgId -> message id, for my sends that were acknowledged. */
  private readonly sentIds = new Map<string, string>();
  private draining = false;
  private count = 0;
  /** Answers UNAVAILABLE or RATE_LIMITED (nothing stored), tried again. */
  unavailable = 0;

  constructor(
    private readonly client: DeliveryClient,
    private readonly log: DeliveryLog,
    private readonly random: () => number,
    private readonly ackTimeoutMs: number,
  ) {}

  /** Enqueues an operation; returns its id (a send's clientMsgId). */
  push(operation: Operation): string {
    this.count += 1;
    const id = operation.kind === 'send' ? `${this.client.name}-${this.count}` : `${this.client.name}-op${this.count}`;
    this.entries.push({ id, operation });
    void this.drain();
    return id;
  }

  get length(): number {
    return this.entries.length;
  }

  async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.entries.length > 0 && this.client.socket.connected) {
        const entry = this.entries[0]!;
        if (entry.request === undefined) entry.request = this.prepare(entry);
        if (entry.request === null) {
          this.entries.shift();
          continue;
        }
        let ack: Ack<{ message: Message }>;
        try {
          ack = await this.emit(entry.request);
        } catch {
          continue; // no answer (dropped, or the connection went): the same request goes again
        }
        if (ack.ok) {
          if (entry.request.event === 'message:send') {
            this.sentIds.set(entry.id, ack.data.message.id);
            this.log.acked(this.client.name, entry.id, ack.data.message);
          } else this.log.mutationAcked(this.client.name, entry.id, ack.data.message);
          this.client.applyAck(ack.data.message);
          this.entries.shift();
        } else if (ack.error.code === 'UNAVAILABLE' || ack.error.code === 'RATE_LIMITED') {
          this.unavailable += 1;
          this.client.changed();
          await new Promise((resolve) => setTimeout(resolve, 100)); // nothing was stored: try again shortly
          continue;
        } else {
          if (entry.request.event === 'message:send') this.log.failed(this.client.name, entry.id, ack.error.code);
          else this.log.mutationFailed(this.client.name, entry.id, ack.error.code);
          this.entries.shift();
        }
        this.client.changed();
      }
    } finally {
      this.draining = false;
    }
    if (this.entries.length > 0 && this.client.socket.connected) void this.drain();
    else this.client.changed();
  }

  /** Fixes the request from what the client holds now, and records it; null when there is nothing to do. */
  private prepare({ id, operation: op }: Entry): Request | null {
    const name = this.client.name;
    const recent = (this.client.room(op.roomId)?.messagesBySeq() ?? []).filter((m) => !m.deleted).slice(-RECENT);
    if (op.kind === 'send') {
      const roots = op.reply ? recent.filter((m) => m.threadRootId === null) : [];
      const root = roots.length > 0 ? this.pick(roots) : undefined;
      this.log.sent({ client: name, roomId: op.roomId, clientMsgId: id, text: op.text, threadRootId: root?.id ?? null });
      const payload = { roomId: op.roomId, clientMsgId: id, text: op.text, ...(root && { threadRootId: root.id }) };
      return { event: 'message:send', payload };
    }
    const userId = this.client.person.user.id;
    if (op.kind === 'react') {
      if (recent.length === 0) return this.skip(op.kind, 'nothing to react to');
      const target = this.pick(recent);
      const on = !target.reactions.some((r) => r.emoji === op.emoji && r.userIds.includes(userId));
      this.log.mutated({ client: name, userId, opId: id, kind: 'react', roomId: op.roomId, messageId: target.id, emoji: op.emoji, on });
      return { event: 'reaction:set', payload: { roomId: op.roomId, messageId: target.id, emoji: op.emoji, on } };
    }
    const messageId = this.sentIds.get(op.target);
    if (!messageId) return this.skip(op.kind, `${op.target} was not stored`);
    const base = { client: name, userId, opId: id, roomId: op.roomId, messageId };
    if (op.kind === 'edit') {
      this.log.mutated({ ...base, kind: 'edit', text: op.text });
      return { event: 'message:edit', payload: { roomId: op.roomId, messageId, text: op.text } };
    }
    this.log.mutated({ ...base, kind: 'delete' });
    return { event: 'message:delete', payload: { roomId: op.roomId, messageId } };
  }

  private skip(kind: string, reason: string): null {
    this.log.skip(this.client.name, kind, reason);
    return null;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  private emit(request: Request): Promise<Ack<{ message: Message }>> {
    const socket = this.client.socket.timeout(this.ackTimeoutMs);
    switch (request.event) {
      case 'message:send':
        return socket.emitWithAck('message:send', request.payload);
      case 'message:edit':
        return socket.emitWithAck('message:edit', request.payload);
      case 'message:delete':
        return socket.emitWithAck('message:delete', request.payload);
      case 'reaction:set':
        return socket.emitWithAck('reaction:set', request.payload);
    }
  }
}
