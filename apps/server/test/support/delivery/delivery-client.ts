import type { Ack, Message } from '@parley/protocol';
import { io as ioClient } from 'socket.io-client';
import type { ClientSocket, Person } from '../harness.js';
import type { DeliveryLog } from './checker.js';

const PAGE = 100;

interface Outgoing {
  roomId: string;
  clientMsgId: string;
  text: string;
}

/**
 * A client that follows docs/delivery.md's client rules, as the web app does: an outbox sent one
 * message at a time and retried with the same clientMsgId until acknowledged; per room, the
 * highest contiguous seq held, a gap fetch when a later seq arrives, and a fetch after it for
 * every room on a connection that was not recovered. It records everything in a DeliveryLog.
 */
export class DeliveryClient {
  readonly socket: ClientSocket;
  private readonly outbox: Outgoing[] = [];
  /** Per room: held messages by seq, and the highest seq with nothing missing below it. */
  private readonly rooms = new Map<string, { bySeq: Map<number, Message>; contiguous: number }>();
  private readonly catchingUp = new Map<string, Promise<void>>();
  private readonly listeners = new Set<() => void>();
  private draining = false;
  private sentCount = 0;
  connections = 0;
  recoveries = 0;
  /** Sends answered UNAVAILABLE (nothing stored) and tried again. */
  unavailable = 0;

  constructor(
    readonly name: string,
    url: string,
    person: Person,
    roomIds: readonly string[],
    private readonly log: DeliveryLog,
    private readonly ackTimeoutMs = 2_000,
  ) {
    for (const roomId of roomIds) this.rooms.set(roomId, { bySeq: new Map(), contiguous: 0 });
    this.socket = ioClient(url, {
      transports: ['websocket'],
      forceNew: true,
      auth: { token: person.token },
      reconnectionDelay: 50,
      reconnectionDelayMax: 500,
      randomizationFactor: 0.5,
    });
    this.socket.on('message:created', (message) => this.hold(message));
    this.socket.on('connect', () => {
      this.connections += 1;
      if (this.socket.recovered) this.recoveries += 1;
      // A recovered socket got what it missed replayed; any other connection fetches it.
      else for (const roomId of this.rooms.keys()) void this.catchUp(roomId);
      void this.drain();
      this.changed();
    });
  }

  /** Enqueues a message, as a user pressing Enter does: it is sent when it is its turn. */
  send(roomId: string, text: string): void {
    this.sentCount += 1;
    const clientMsgId = `${this.name}-${this.sentCount}`;
    this.log.sent(this.name, roomId, clientMsgId, text);
    this.outbox.push({ roomId, clientMsgId, text });
    void this.drain();
  }

  get pending(): number {
    return this.outbox.length;
  }

  /** What the user would see: each room's messages up to the first gap, in seq order. */
  view(): Map<string, Message[]> {
    return new Map([...this.rooms].map(([roomId, room]) => [roomId, [...room.bySeq.values()].sort((a, b) => a.seq - b.seq)]));
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

  holds(roomId: string, count: number): boolean {
    return (this.rooms.get(roomId)?.contiguous ?? 0) >= count;
  }

  close(): void {
    this.socket.disconnect();
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private hold(message: Message): void {
    this.log.received(this.name);
    const room = this.rooms.get(message.roomId);
    if (!room) return;
    if (!room.bySeq.has(message.seq)) room.bySeq.set(message.seq, message);
    while (room.bySeq.has(room.contiguous + 1)) room.contiguous += 1;
    // Something later than the next seq: fetch what is missing in between.
    if (message.seq > room.contiguous + 1) void this.catchUp(message.roomId);
    this.changed();
  }

  /**
   * Fetches everything after the last contiguous seq, page by page. One fetch per room at a time;
   * a gap found during one is fetched by another run right after it.
   */
  private catchUp(roomId: string): Promise<void> {
    const running = this.catchingUp.get(roomId);
    if (running) return running.then(() => this.catchUp(roomId));
    const run = (async () => {
      for (;;) {
        const room = this.rooms.get(roomId)!;
        let ack: Ack<{ messages: Message[] }>;
        try {
          ack = await this.socket
            .timeout(this.ackTimeoutMs)
            .emitWithAck('message:history', { roomId, after: room.contiguous, limit: PAGE });
        } catch {
          return; // disconnected: the next connection fetches again
        }
        if (!ack.ok) return;
        for (const message of ack.data.messages) this.hold(message);
        if (ack.data.messages.length < PAGE) return;
      }
    })().finally(() => this.catchingUp.delete(roomId));
    this.catchingUp.set(roomId, run);
    return run;
  }

  /** Sends the outbox in order, one at a time, each until the server answers it. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.outbox.length > 0 && this.socket.connected) {
        const next = this.outbox[0]!;
        let ack: Ack<{ message: Message }>;
        try {
          ack = await this.socket.timeout(this.ackTimeoutMs).emitWithAck('message:send', next);
        } catch {
          continue; // no answer (dropped, or the connection went): the same clientMsgId goes again
        }
        if (ack.ok) {
          this.log.acked(this.name, next.clientMsgId, ack.data.message);
          this.hold(ack.data.message);
          this.outbox.shift();
        } else if (ack.error.code === 'UNAVAILABLE') {
          this.unavailable += 1;
          this.changed();
          await new Promise((resolve) => setTimeout(resolve, 100)); // nothing was stored: try again shortly
          continue;
        } else {
          this.log.failed(this.name, next.clientMsgId, ack.error.code);
          this.outbox.shift();
        }
        this.changed();
      }
    } finally {
      this.draining = false;
    }
    if (this.outbox.length > 0 && this.socket.connected) void this.drain();
  }
}
