import type { Message } from '@parley/protocol';

/**
 * One room as a client holds it: every message in its latest known state, and `lastRev`, the
 * rev up to which the client has seen every change (by events, or by a catch-up page covering
 * it). The rules of docs/delivery.md: a state replaces the one held only when its rev is newer,
 * so an older state never overwrites a newer one and a change applied twice changes nothing.
 */
export class ChangeStream {
  readonly byId = new Map<string, Message>();
  lastRev = 0;
  /** The connection was not recovered: catch up from lastRev before trusting it. */
  stale = false;
  /** A gap was found while a catch-up ran: run it once more. */
  again = false;
  /** Revs above lastRev received as events, waiting for the ones below them. */
  private readonly ahead = new Set<number>();

  /** Applies a state if it is newer than the one held. */
  apply(message: Message): void {
    const held = this.byId.get(message.id);
    if (!held || message.rev > held.rev) this.byId.set(message.id, message);
  }

  /** A change that came as an event: applied, and its rev counted towards lastRev. */
  receive(message: Message): void {
    this.apply(message);
    if (message.rev > this.lastRev) this.ahead.add(message.rev);
    this.advance();
  }

  /** A page of message:changes: everything changed in (afterRev, lastRev] in its current state. */
  caughtUp(messages: readonly Message[], lastRev: number): void {
    for (const message of messages) this.apply(message);
    this.lastRev = Math.max(this.lastRev, lastRev);
    for (const rev of this.ahead) if (rev <= this.lastRev) this.ahead.delete(rev);
    this.advance();
  }

  /** A change arrived with a rev beyond lastRev + 1: something in between is missing. */
  hasGap(): boolean {
    return this.ahead.size > 0;
  }

  hasSeq(seq: number): boolean {
    return [...this.byId.values()].some((m) => m.seq === seq);
  }

  messagesBySeq(): Message[] {
    return [...this.byId.values()].sort((a, b) => a.seq - b.seq);
  }

  private advance(): void {
    while (this.ahead.delete(this.lastRev + 1)) this.lastRev += 1;
  }
}
