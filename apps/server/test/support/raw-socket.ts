import { once } from 'node:events';
import WebSocket from 'ws';

/** One Socket.IO packet as it came off the wire, e.g. `42["message:created",{...}]`. */
export interface RawPacket {
  text: string;
  at: number;
}

/**
 * A Socket.IO client written by hand over a plain WebSocket (the `ws` library), for what no
 * well-behaved client does: stop reading, answer heartbeats nobody asked for, present another
 * socket's recovery `pid` and `offset`. It records every packet and every byte it received.
 */
export class RawSocketIo {
  readonly packets: RawPacket[] = [];
  bytesReceived = 0;
  closed = false;
  private readonly waiters = new Set<() => void>();
  private nextAckId = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.bytesReceived += data.length;
      this.packets.push({ text: data.toString(), at: Date.now() });
      this.wake();
    });
    ws.on('close', () => {
      this.closed = true;
      this.wake();
    });
    ws.on('error', () => undefined);
  }

  /** Opens the WebSocket and waits for Engine.IO's open packet (no Socket.IO connect yet). */
  static async open(url: string): Promise<RawSocketIo> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const client = new RawSocketIo(ws);
    await client.until((p) => p.text.startsWith('0{'));
    return client;
  }

  /** Sends the Socket.IO CONNECT packet with this auth object. */
  connect(auth: Record<string, unknown>): void {
    this.send(`40${JSON.stringify(auth)}`);
  }

  /** Connects and resolves with the server's CONNECT answer (`40{...}` or `44{...}`). */
  async handshake(auth: Record<string, unknown>): Promise<{ ok: boolean; data: any }> {
    const start = this.packets.length;
    this.connect(auth);
    const packet = await this.until((p) => p.text.startsWith('40') || p.text.startsWith('44'), start);
    return { ok: packet.text.startsWith('40'), data: JSON.parse(packet.text.slice(2)) };
  }

  /** Emits an event with an ack id; returns the id. */
  emit(event: string, payload: unknown): number {
    const id = this.nextAckId++;
    this.send(`42${id}${JSON.stringify([event, payload])}`);
    return id;
  }

  /** Emits and waits for the ack. */
  async call(event: string, payload: unknown): Promise<any> {
    const start = this.packets.length;
    const id = this.emit(event, payload);
    const packet = await this.until((p) => p.text.startsWith(`43${id}[`), start);
    return JSON.parse(packet.text.slice(`43${id}`.length))[0];
  }

  /** An unrequested heartbeat answer (Engine.IO pong), which keeps the server from timing out. */
  pong(): void {
    this.send('3');
  }

  send(text: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
  }

  /** The events received (`42[...]` packets), as [name, payload]. */
  events(): Array<[string, any]> {
    return this.packets.filter((p) => p.text.startsWith('42')).map((p) => JSON.parse(p.text.slice(p.text.indexOf('['))));
  }

  /** Stops reading from the TCP socket: the server's writes pile up. */
  stopReading(): void {
    this.ws.pause();
  }

  resumeReading(): void {
    this.ws.resume();
  }

  /** Resolves when the connection is gone. */
  async closedByServer(): Promise<void> {
    if (!this.closed) await once(this.ws, 'close');
  }

  close(): void {
    this.ws.terminate();
  }

  /** The first packet from index `from` on that matches; waits for it; rejects if the connection closes first. */
  until(match: (packet: RawPacket) => boolean, from = 0): Promise<RawPacket> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.packets.slice(from).find(match);
        if (found) {
          this.waiters.delete(check);
          resolve(found);
        } else if (this.closed) {
          this.waiters.delete(check);
          reject(new Error('connection closed before the packet came'));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
