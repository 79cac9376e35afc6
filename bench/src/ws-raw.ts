import { randomBytes } from 'node:crypto';
import net from 'node:net';

/**
 * A WebSocket client on a raw `net` socket, as cheap as the generator can make it (issue 18):
 *
 * - the HTTP/1.1 Upgrade handshake is written and read here (rare path: may decode);
 * - client frames are masked with the all-zero key, which RFC 6455 framing allows and which makes
 *   masking free (the payload goes out as is);
 * - every connection reads into ONE shared static buffer (`onread`), so a read allocates nothing;
 * - frames are walked in place: several per read, and a frame split across reads is completed in
 *   a small per-connection carry-over (the only copy, and only for split frames);
 * - each message's payload is handed over as a subarray of the shared buffer, valid only during
 *   the callback (no copy, no decoding).
 */

/** Large enough that a read seldom ends mid-frame; shared by every connection of the process. */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);
const HEADER_END = Buffer.from('\r\n\r\n');

/** Called with a message's payload: a view into a shared buffer, valid only during the call. */
export type OnMessage = (payload: Buffer) => void;

export class RawWebSocket {
  /** Bytes of a frame split across reads (header included); only allocated when one is. */
  private carry: Buffer | undefined;
  private carryLength = 0;
  /** The frame's total length once its header is in the carry, else -1. */
  private carryTotal = -1;
  /** Handshake bytes until the response's header ends; undefined once open. */
  private handshake: Buffer | undefined = Buffer.alloc(0);
  private closed = false;

  private constructor(
    private readonly socket: net.Socket,
    private readonly onMessage: OnMessage,
  ) {
    this.ready = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  /** Resolves once the server has accepted the upgrade; the first frames may be handled before. */
  readonly ready: Promise<void>;
  private settle!: { resolve: () => void; reject: (error: Error) => void };

  /**
   * Connects to a ws:// or http:// URL (host, port and path are used). Returns at once, so the
   * caller holds the socket before its first message; `ready` says when it is upgraded.
   */
  static connect(url: string, onMessage: OnMessage): RawWebSocket {
    const { hostname, port, pathname, search } = new URL(url);
    const socket = net.connect({
      host: hostname,
      port: Number(port || 80),
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes: number, buffer: Uint8Array) => {
          ws.onRead(bytes, buffer as Buffer);
          return true;
        },
      },
    });
    const ws = new RawWebSocket(socket, onMessage);
    socket.setNoDelay(true);
    socket.on('error', (error) => {
      ws.closed = true;
      ws.settle.reject(error);
    });
    socket.once('close', () => {
      ws.closed = true;
      ws.settle.reject(new Error(`${url}: closed before the upgrade`));
    });
    socket.once('connect', () => {
      socket.write(
        `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    return ws;
  }

  private onRead(bytes: number, buffer: Buffer): void {
    if (this.handshake === undefined) {
      this.walk(buffer, 0, bytes);
      return;
    }
    // Rare path: the response to the Upgrade, possibly followed by the first frames.
    const seen = Buffer.concat([this.handshake, buffer.subarray(0, bytes)]);
    const end = seen.indexOf(HEADER_END);
    if (end < 0) {
      this.handshake = seen;
      return;
    }
    this.handshake = undefined;
    const head = seen.toString('latin1', 0, end);
    if (!head.startsWith('HTTP/1.1 101')) {
      this.settle.reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
      this.socket.destroy();
      return;
    }
    this.settle.resolve();
    // The bytes after the header are in `seen`, a private copy: walk them like a read.
    this.walk(seen, end + 4, seen.length);
  }

  /** Walks the frames in buffer[from, to). */
  private walk(buffer: Buffer, from: number, to: number): void {
    let at = from;
    if (this.carryLength > 0) {
      at = this.fillCarry(buffer, at, to);
      if (this.carryLength > 0) return; // the read ended inside the split frame
    }
    while (at < to) {
      const available = to - at;
      if (available < 2) break;
      const code = buffer[at + 1]! & 0x7f;
      const header = code < 126 ? 2 : code === 126 ? 4 : 10;
      if (available < header) break;
      const length =
        code < 126
          ? code
          : code === 126
            ? buffer.readUInt16BE(at + 2)
            : buffer.readUInt32BE(at + 2) * 2 ** 32 + buffer.readUInt32BE(at + 6);
      const total = header + length;
      if (available < total) break;
      this.frame(buffer[at]!, buffer, at + header, at + total);
      at += total;
    }
    if (at < to) {
      // A split frame: keep its first bytes until the rest arrives.
      this.carryLength = 0;
      this.carryTotal = -1;
      this.fillCarry(buffer, at, to);
    }
  }

  /** Moves bytes of buffer[from, to) into the carried frame; dispatches it when complete. Returns where it stopped. */
  private fillCarry(buffer: Buffer, from: number, to: number): number {
    let at = from;
    // The header first, byte by byte (at most 10), so no byte of the next frame is taken.
    while (this.carryTotal < 0 && at < to) {
      this.reserve(this.carryLength + 1);
      this.carry![this.carryLength++] = buffer[at++]!;
      this.carryTotal = this.totalOf(this.carry!, this.carryLength);
    }
    if (this.carryTotal < 0) return at;
    this.reserve(this.carryTotal);
    const take = Math.min(this.carryTotal - this.carryLength, to - at);
    buffer.copy(this.carry!, this.carryLength, at, at + take);
    this.carryLength += take;
    at += take;
    if (this.carryLength === this.carryTotal) {
      const carry = this.carry!;
      const total = this.carryTotal;
      this.carryLength = 0;
      this.carryTotal = -1;
      this.frame(carry[0]!, carry, total - this.lengthOf(carry), total);
    }
    return at;
  }

  private lengthOf(head: Buffer): number {
    const code = head[1]! & 0x7f;
    return code < 126 ? code : code === 126 ? head.readUInt16BE(2) : head.readUInt32BE(2) * 2 ** 32 + head.readUInt32BE(6);
  }

  /** A frame's total length from its first `have` bytes, or -1 while its header is incomplete. */
  private totalOf(head: Buffer, have: number): number {
    if (have < 2) return -1;
    const code = head[1]! & 0x7f;
    const header = code < 126 ? 2 : code === 126 ? 4 : 10;
    if (have < header) return -1;
    return header + this.lengthOf(head);
  }

  private reserve(size: number): void {
    if (this.carry && this.carry.length >= size) return;
    const grown = Buffer.allocUnsafe(Math.max(size, 2 * (this.carry?.length ?? 1024)));
    this.carry?.copy(grown, 0, 0, this.carryLength);
    this.carry = grown;
  }

  private frame(first: number, buffer: Buffer, start: number, end: number): void {
    const opcode = first & 0x0f;
    if (opcode === 0x1 || opcode === 0x2 || opcode === 0x0) this.onMessage(buffer.subarray(start, end));
    else if (opcode === 0x9)
      this.sendFrame(0xa, buffer.subarray(start, end)); // ping: pong with its payload
    else if (opcode === 0x8) this.close();
    // Fragmented messages do not occur with these servers (ws, engine.io send whole frames).
  }

  /** Sends a text message (masked with the all-zero key). */
  send(text: string): void {
    if (this.closed) return;
    const length = Buffer.byteLength(text);
    const header = length < 126 ? 6 : length < 65536 ? 8 : 14;
    const frame = Buffer.allocUnsafe(header + length);
    this.writeHeader(frame, 0x1, length);
    frame.write(text, header, 'utf8');
    this.socket.write(frame);
  }

  private sendFrame(opcode: number, payload: Buffer): void {
    if (this.closed) return;
    const header = payload.length < 126 ? 6 : payload.length < 65536 ? 8 : 14;
    const frame = Buffer.allocUnsafe(header + payload.length);
    this.writeHeader(frame, opcode, payload.length);
    payload.copy(frame, header);
    this.socket.write(frame);
  }

  /** FIN + opcode, the mask bit and the length, then the four zero bytes of the masking key. */
  private writeHeader(frame: Buffer, opcode: number, length: number): void {
    frame[0] = 0x80 | opcode;
    let at: number;
    if (length < 126) {
      frame[1] = 0x80 | length;
      at = 2;
    } else if (length < 65536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(length, 2);
      at = 4;
    } else {
      frame[1] = 0x80 | 127;
      frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
      frame.writeUInt32BE(length >>> 0, 6);
      at = 10;
    }
    frame.writeUInt32BE(0, at);
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }
}
