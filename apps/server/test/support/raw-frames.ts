import crypto from 'node:crypto';
import net from 'node:net';
import { expect } from 'vitest';
import { MAX_PACKET_BYTES } from '../../src/realtime/io.js';

/**
 * A Socket.IO WebSocket client written by hand on a bare TCP socket (node:net), for the
 * frame-level cases (unterminated, unmasked, oversized frames...) that need bytes no WebSocket
 * library would send. `encodeFrame` builds any frame, well-formed or not; `RawWebSocket` upgrades,
 * connects to the main namespace and records every frame the server sends back.
 */

/** An Engine.IO packet: text, or a binary attachment. */
export type Packet = string | Buffer;

export interface Frame {
  fin: boolean;
  opcode: number;
  data: Buffer;
}

export interface FrameOptions {
  fin?: boolean;
  /** Clients must mask their frames (RFC 6455 5.1); false sends an unmasked one. */
  mask?: boolean;
  /** The three reserved bits, RSV1 = 4. */
  rsv?: number;
  /** The payload length written in the header, when it is to differ from the payload sent. */
  announced?: number;
}

export function encodeFrame(
  opcode: number,
  payload: Buffer | string,
  { fin = true, mask = true, rsv = 0, announced }: FrameOptions = {},
): Buffer {
  const body = Buffer.from(payload);
  const length = announced ?? body.length;
  const maskBit = mask ? 0x80 : 0;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([0, maskBit | length]);
  } else if (length < 0x10000) {
    header = Buffer.alloc(4);
    header.writeUInt16BE(length, 2);
    header[1] = maskBit | 126;
  } else {
    header = Buffer.alloc(10);
    header.writeBigUInt64BE(BigInt(length), 2);
    header[1] = maskBit | 127;
  }
  header[0] = (fin ? 0x80 : 0) | (rsv << 4) | opcode;
  if (!mask) return Buffer.concat([header, body]);
  const key = crypto.randomBytes(4);
  for (let i = 0; i < body.length; i++) body[i] = body[i]! ^ key[i % 4]!;
  return Buffer.concat([header, key, body]);
}

export const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9 } as const;

export class RawWebSocket {
  readonly frames: Frame[] = [];
  /** The status code of the server's close frame (1005: it sent none), once it sent one. */
  closeCode: number | undefined;
  /** Set when the TCP connection is gone. */
  ended = false;
  private readonly endedPromise: Promise<void>;
  private buffer = Buffer.alloc(0);
  private head: string | undefined;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: net.Socket) {
    this.endedPromise = new Promise((resolve) =>
      socket.once('close', () => {
        this.ended = true;
        this.wake();
        resolve();
      }),
    );
    socket.on('error', () => {}); // a reset is one of the ways to be closed
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
      this.wake();
    });
  }

  /** Upgrades to a Socket.IO WebSocket and connects to the main namespace with a token. */
  static async connect(port: number, token: string): Promise<RawWebSocket> {
    const socket = net.connect(port, '127.0.0.1');
    const ws = new RawWebSocket(socket);
    const key = crypto.randomBytes(16).toString('base64');
    socket.write(
      `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await ws.until(() => ws.head !== undefined, 'the upgrade answer', 5_000, true);
    expect(ws.head).toMatch(/^HTTP\/1\.1 101 /);
    const open = await ws.nextText((t) => t.startsWith('0{'));
    expect(JSON.parse(open.slice(1))).toMatchObject({ maxPayload: MAX_PACKET_BYTES });
    ws.send(`40${JSON.stringify({ token })}`);
    await ws.nextText((t) => t.startsWith('40{"sid":'));
    return ws;
  }

  send(text: string): void {
    this.socket.write(encodeFrame(OP.text, text));
  }

  sendBinary(data: Buffer): void {
    this.socket.write(encodeFrame(OP.binary, data));
  }

  /** Sends Socket.IO packets, each in its own frame: text packets as text, attachments as binary. */
  sendPackets(packets: readonly Packet[]): void {
    for (const packet of packets) {
      if (typeof packet === 'string') this.send(packet);
      else this.sendBinary(packet);
    }
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  texts(): string[] {
    return this.frames.filter((f) => f.opcode === OP.text).map((f) => f.data.toString());
  }

  nextText(match: (text: string) => boolean, timeoutMs = 5_000): Promise<string> {
    let found: string | undefined;
    return this.until(() => (found = this.texts().find(match)) !== undefined, 'a matching text frame', timeoutMs, true).then(() => found!);
  }

  /** Resolves once the server has sent a close frame and the TCP connection is gone. */
  async closed(timeoutMs = 5_000): Promise<number | undefined> {
    await this.until(() => this.ended, 'the connection to close', timeoutMs);
    return this.closeCode;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private until(ready: () => boolean, what: string, timeoutMs = 5_000, failOnEnd = false): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (ready()) return (finish(), resolve());
        if (failOnEnd && this.ended)
          return (
            finish(),
            reject(new Error(`connection closed (code ${this.closeCode}) while waiting for ${what}; got ${this.describe()}`))
          );
      };
      const timer = setTimeout(() => (finish(), reject(new Error(`no ${what} in ${timeoutMs} ms; got ${this.describe()}`))), timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  private describe(): string {
    return JSON.stringify(this.texts().map((t) => t.slice(0, 200)));
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private parse(): void {
    if (this.head === undefined) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.head = this.buffer.subarray(0, end).toString();
      this.buffer = this.buffer.subarray(end + 4);
    }
    for (;;) {
      if (this.buffer.length < 2) return;
      const b0 = this.buffer[0]!;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + length) return;
      const frame: Frame = { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, data: Buffer.from(this.buffer.subarray(offset, offset + length)) };
      this.buffer = this.buffer.subarray(offset + length);
      this.frames.push(frame);
      if (frame.opcode === OP.close && this.closeCode === undefined) {
        this.closeCode = frame.data.length >= 2 ? frame.data.readUInt16BE(0) : 1005;
        // Complete the closing handshake, as a browser would; the server then ends the TCP connection.
        if (!this.socket.destroyed) this.socket.write(encodeFrame(OP.close, frame.data.subarray(0, 2)));
      }
    }
  }
}
