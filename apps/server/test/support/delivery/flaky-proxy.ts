import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FlakyProxyOptions {
  /** Each connection is cut after a random time in this range (ms). */
  lifetimeMs: [number, number];
  /** Chance that an acknowledgement frame is dropped, and the connection cut with it. */
  dropAckProbability: number;
  /** Seeded randomness, so a failing run can be replayed. */
  random: () => number;
}

/**
 * A TCP proxy in front of a Parley server that fails like a bad network: it cuts connections at
 * random moments, and reads the server's WebSocket frames so it can drop a Socket.IO ack (an
 * Engine.IO message "4" carrying a Socket.IO ACK "3") and cut the connection right there, so
 * the client never learns that its send was stored and must retry it.
 */
export class FlakyProxy {
  cuts = 0;
  droppedAcks = 0;
  private chaos = true;
  private readonly server: net.Server;
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();

  constructor(
    private readonly target: { host: string; port: number },
    private readonly options: FlakyProxyOptions,
  ) {
    this.server = net.createServer((client) => this.accept(client));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The network heals: no more cuts or drops (connections already open stay open). */
  heal(): void {
    this.chaos = false;
  }

  async close(): Promise<void> {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const cut = () => {
      clearTimeout(timer);
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    const [min, max] = this.options.lifetimeMs;
    const timer = setTimeout(
      () => {
        if (!this.chaos) return;
        this.cuts += 1;
        cut();
      },
      min + this.options.random() * (max - min),
    );
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);
    client.on('data', (chunk) => upstream.write(chunk));

    const frames = new ServerFrames();
    upstream.on('data', (chunk) => {
      for (const piece of frames.push(chunk)) {
        if (piece.ack && this.chaos && this.options.random() < this.options.dropAckProbability) {
          this.droppedAcks += 1;
          cut();
          return;
        }
        client.write(piece.bytes);
      }
    });
  }
}

/**
 * Splits what a server sends into its HTTP upgrade response and whole WebSocket frames (server
 * frames are never masked), marking the frames that carry a Socket.IO ack.
 */
class ServerFrames {
  private buffer = Buffer.alloc(0);
  private upgraded = false;

  push(chunk: Buffer): Array<{ bytes: Buffer; ack: boolean }> {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const out: Array<{ bytes: Buffer; ack: boolean }> = [];
    if (!this.upgraded) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end === -1) return out;
      out.push({ bytes: this.buffer.subarray(0, end + 4), ack: false });
      this.buffer = this.buffer.subarray(end + 4);
      this.upgraded = true;
    }
    for (;;) {
      if (this.buffer.length < 2) return out;
      const opcode = this.buffer[0]! & 0x0f;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return out;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return out;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + length) return out;
      const payload = this.buffer.subarray(offset, offset + length);
      out.push({ bytes: this.buffer.subarray(0, offset + length), ack: opcode === 1 && payload.subarray(0, 2).toString() === '43' });
      this.buffer = this.buffer.subarray(offset + length);
    }
  }
}

/** A small seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
