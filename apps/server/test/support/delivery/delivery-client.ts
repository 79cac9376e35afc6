import { PROTOCOL_VERSION, type Ack, type Message, type MessageChanges } from '@parley/protocol';
import { io as ioClient } from 'socket.io-client';
import type { ClientSocket, Person } from '../harness.js';
import type { DeliveryLog } from './delivery-log.js';
import { ChangeStream } from './change-stream.js';
import { Outbox, type Operation } from './outbox.js';

const PAGE = 100;

export interface ClientOptions {
  /** How long an operation or a catch-up page waits for its answer before it is tried again. */
  ackTimeoutMs?: number;
  /**
   * Share of reconnections made without the session id, so the server cannot recover them (as
   * after the recovery window, or on a node that does not have the session): they catch up.
   */
  unrecoveredShare?: number;
}

/**
 * A client that follows docs/delivery.md's client rules, as the web app does. Per room it holds
 * every message in its latest known state and the room's `lastRev` (change-stream.ts); an event
 * is applied only when its rev is newer than the state held, a rev beyond `lastRev + 1` is a gap
 * that `message:changes` fills, and a connection that was not recovered catches up every room
 * from its `lastRev`. Its outbox (outbox.ts) holds sends, edits, deletes and reactions, sent one at
 * a time and retried with the same payload until answered. Everything is recorded in a DeliveryLog.
 */
export class DeliveryClient {
  readonly socket: ClientSocket;
  private readonly rooms = new Map<string, ChangeStream>();
  private readonly catchingUp = new Map<string, Promise<void>>();
  private readonly listeners = new Set<() => void>();
  private readonly outbox: Outbox;
  connections = 0;
  recoveries = 0;
  private readonly ackTimeoutMs: number;

  constructor(
    readonly name: string,
    url: string,
    readonly person: Person,
    roomIds: readonly string[],
    private readonly log: DeliveryLog,
    /** Picks what to react to and reply under: seeded, so FAULT_SEED replays the same choices. */
    random: () => number = Math.random,
    options: ClientOptions = {},
  ) {
    for (const roomId of roomIds) this.rooms.set(roomId, new ChangeStream());
    const auth = { token: person.token, protocol: PROTOCOL_VERSION };
    this.socket = ioClient(url, {
      transports: ['websocket'],
      forceNew: true,
      auth,
      reconnectionDelay: 50,
      reconnectionDelayMax: 500,
      randomizationFactor: 0.5,
    });
    this.ackTimeoutMs = options.ackTimeoutMs ?? 2_000;
    this.outbox = new Outbox(this, log, random, this.ackTimeoutMs);
    // The handshake's auth is merged over the session id socket.io-client sends to be recovered,
    // so `pid: undefined` makes the next connection a new one.
    this.socket.on('disconnect', () => {
      this.socket.auth = random() < (options.unrecoveredShare ?? 0) ? { ...auth, pid: undefined } : auth;
    });
    this.socket.on('message:created', (message) => this.onEvent('message:created', message));
    this.socket.on('message:updated', (message) => this.onEvent('message:updated', message));
    this.socket.on('connect', () => {
      this.connections += 1;
      const recovered = this.socket.recovered;
      if (recovered) this.recoveries += 1;
      for (const [roomId, room] of this.rooms) {
        // Not recovered: whatever happened while away is unknown, so every room catches up from
        // its lastRev (until a catch-up completes). Recovered: what was missed has been replayed.
        if (!recovered) room.stale = true;
        if (room.stale || room.hasGap()) void this.catchUp(roomId);
      }
      void this.outbox.drain();
      this.changed();
    });
  }

  /** Enqueues an operation, as the user does by pressing Enter or clicking: it is sent in its turn. */
  enqueue(operation: Operation): string {
    return this.outbox.push(operation);
  }

  /** A plain message, as a user pressing Enter sends it. */
  send(roomId: string, text: string): string {
    return this.enqueue({ kind: 'send', roomId, text });
  }

  get pending(): number {
    return this.outbox.length;
  }

  /** Operations answered UNAVAILABLE or RATE_LIMITED (nothing stored) and tried again. */
  get unavailable(): number {
    return this.outbox.unavailable;
  }

  /** The room's messages in their latest known state, in seq order, and its lastRev. */
  room(roomId: string): ChangeStream | undefined {
    return this.rooms.get(roomId);
  }

  view(): Map<string, { messages: Message[]; lastRev: number }> {
    return new Map([...this.rooms].map(([roomId, room]) => [roomId, { messages: room.messagesBySeq(), lastRev: room.lastRev }]));
  }

  /** Resolves when `done` holds, checked after every change this client sees. */
  until(done: (client: this) => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done(this)) return;
        this.listeners.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`${this.name}: ${what} did not happen in ${timeoutMs} ms`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  follows(roomId: string): boolean {
    return this.rooms.has(roomId);
  }

  /** Holds the room's messages with seq 1..count. */
  holds(roomId: string, count: number): boolean {
    const room = this.rooms.get(roomId);
    if (!room) return false;
    for (let seq = 1; seq <= count; seq++) if (!room.hasSeq(seq)) return false;
    return true;
  }

  /** Up to date with the room's change stream up to `rev`. */
  reached(roomId: string, rev: number): boolean {
    return (this.rooms.get(roomId)?.lastRev ?? 0) >= rev;
  }

  close(): void {
    this.socket.disconnect();
  }

  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** An ack's message: the state it names, applied by the same rev rule (it moves no lastRev). */
  applyAck(message: Message): void {
    this.log.received(this.name);
    this.rooms.get(message.roomId)?.apply(message);
  }

  private onEvent(event: 'message:created' | 'message:updated', message: Message): void {
    this.log.event(this.name, event, message);
    const room = this.rooms.get(message.roomId);
    if (!room) return;
    room.receive(message);
    if (room.hasGap()) void this.catchUp(message.roomId);
    this.changed();
  }

  /**
   * Fetches every change after the room's lastRev with message:changes, page by page while
   * `more`. One run per room at a time; a gap found during a run makes it go round again.
   */
  private catchUp(roomId: string): Promise<void> {
    const room = this.rooms.get(roomId)!;
    const running = this.catchingUp.get(roomId);
    if (running) {
      room.again = true;
      return running;
    }
    let interrupted = false;
    const run = (async () => {
      let before: number;
      do {
        room.again = false;
        before = room.lastRev;
        for (;;) {
          const afterRev = room.lastRev;
          let ack: Ack<MessageChanges>;
          try {
            ack = await this.socket.timeout(this.ackTimeoutMs).emitWithAck('message:changes', { roomId, afterRev, limit: PAGE });
          } catch {
            interrupted = true; // no answer, or the connection went
            return;
          }
          if (!ack.ok) {
            if (ack.error.code !== 'UNAVAILABLE' && ack.error.code !== 'RATE_LIMITED') return;
            await new Promise((resolve) => setTimeout(resolve, 100));
            continue;
          }
          this.log.received(this.name, ack.data.messages.length);
          this.log.caughtUp({ client: this.name, roomId, afterRev, lastRev: ack.data.lastRev, messages: ack.data.messages.length });
          room.caughtUp(ack.data.messages, ack.data.lastRev);
          this.changed();
          if (!ack.data.more) break;
        }
        room.stale = false;
        // Events that arrived meanwhile may show a later gap; go round again while that makes progress.
      } while (room.again || (room.hasGap() && room.lastRev > before));
    })().finally(() => {
      this.catchingUp.delete(roomId);
      // Cut short while a new connection (or a gap) already asked for another run: do it now.
      if (interrupted && this.socket.connected && (room.again || room.stale || room.hasGap())) void this.catchUp(roomId);
    });
    this.catchingUp.set(roomId, run);
    return run;
  }
}
