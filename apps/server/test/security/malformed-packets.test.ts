import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_PACKET_BYTES } from '../../src/realtime/io.js';
import { connect, register, uniqueName, type Client, type Person } from '../support/harness.js';
import { startProcess, type ServerProcess } from '../support/process.js';

/**
 * Raw Engine.IO / Socket.IO packets, hand-written, over a plain WebSocket and over HTTP long
 * polling, from an authenticated attacker: the offending connection is closed (or, where
 * Socket.IO deliberately ignores a packet, provably ignored), the server process survives, and
 * two bystanders in a room keep chatting.
 *
 * The server runs as its own process so that a crash is seen as a crash, not as a failing test.
 * The WebSocket client is written on node:net, as the frame-level cases (unterminated, unmasked,
 * oversized frames...) need bytes no WebSocket library would send.
 */

let server: ServerProcess;
let dataDir: string;
let alice: Client;
let bob: Client;
let mallory: Person;
let roomId: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-malformed-'));
  server = await startProcess({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  const [a, b, m] = await Promise.all([
    register(server.url, uniqueName('alice')),
    register(server.url, uniqueName('bob')),
    register(server.url, uniqueName('mallory')),
  ]);
  mallory = m;
  [alice, bob] = await Promise.all([connect(server.url, a), connect(server.url, b)]);
  roomId = (await alice.call('room:create', { name: 'bystanders', visibility: 'public' })).room.id;
  await bob.call('room:join', { roomId });
});

afterAll(async () => {
  alice?.close();
  bob?.close();
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Once the server has died, every later test fails at once, with its output (the stack trace). */
beforeEach(() => {
  if (server.child.exitCode !== null || server.child.signalCode !== null) {
    throw new Error(`the server died (exit code ${server.child.exitCode}, signal ${server.child.signalCode}):\n${serverOutput()}`);
  }
});

/** The server's output without its info lines (request logs). */
function serverOutput(): string {
  const lines = server
    .output()
    .split('\n')
    .filter((line) => line && !line.startsWith('{"level":30,'));
  return lines.slice(-60).join('\n');
}

let round = 0;
/**
 * The process is alive, healthy, and the bystanders were not disconnected: a message sent by one
 * reaches the other (they take turns sending, to stay far below any per-user message rate).
 * On failure, the server's own output (a crash's stack trace) comes with the error.
 */
async function stillServing(tag: string): Promise<void> {
  try {
    expect(server.child.exitCode).toBeNull();
    expect(server.child.signalCode).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(alice.socket.connected && bob.socket.connected).toBe(true);
    round += 1;
    const [from, to] = round % 2 ? [alice, bob] : [bob, alice];
    const { message } = await from.call('message:send', { roomId, clientMsgId: `alive-${round}`, text: `still here after ${tag}` });
    await to.waitFor('message:created', (m) => m.id === message.id, { timeoutMs: 5_000 });
  } catch (error) {
    throw new Error(
      `not serving after ${tag} (exit code ${server.child.exitCode}, signal ${server.child.signalCode}): ${(error as Error).message}\n` +
        `--- server output (info lines left out) ---\n${serverOutput()}`,
      { cause: error },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// A WebSocket client on a bare TCP socket.

interface Frame {
  fin: boolean;
  opcode: number;
  data: Buffer;
}

interface FrameOptions {
  fin?: boolean;
  /** Clients must mask their frames (RFC 6455 5.1); false sends an unmasked one. */
  mask?: boolean;
  /** The three reserved bits, RSV1 = 4. */
  rsv?: number;
  /** The payload length written in the header, when it is to differ from the payload sent. */
  announced?: number;
}

function encodeFrame(opcode: number, payload: Buffer | string, { fin = true, mask = true, rsv = 0, announced }: FrameOptions = {}): Buffer {
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

const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9 } as const;

class RawWebSocket {
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

// ---------------------------------------------------------------------------------------------
// An Engine.IO long-polling client on fetch.

const SEPARATOR = '\x1e';
const SESSION_UNKNOWN = { code: 1, message: 'Session ID unknown' };

class PollingSession {
  private constructor(readonly url: string) {}

  static async connect(baseUrl: string, token: string): Promise<PollingSession> {
    const open = await request(`${baseUrl}/socket.io/?EIO=4&transport=polling`);
    expect(open.status).toBe(200);
    expect(open.body.startsWith('0{')).toBe(true);
    const handshake = JSON.parse(open.body.slice(1)) as { sid: string; maxPayload: number };
    expect(handshake.maxPayload).toBe(MAX_PACKET_BYTES);
    const session = new PollingSession(`${baseUrl}/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(handshake.sid)}`);
    expect(await session.post(`40${JSON.stringify({ token })}`)).toEqual({ status: 200, body: 'ok' });
    expect((await session.get()).body).toMatch(/^40\{"sid":/);
    return session;
  }

  post(body: string, headers: Record<string, string> = { 'content-type': 'text/plain;charset=UTF-8' }) {
    return request(this.url, { method: 'POST', body, headers });
  }

  /** One long poll: what the server had for us, or has next. */
  get() {
    return request(this.url);
  }

  /** Polls until a packet matches; resolves with every packet received up to it. */
  async packetsUntil(match: (packet: string) => boolean): Promise<string[]> {
    const deadline = Date.now() + 5_000;
    const seen: string[] = [];
    while (Date.now() < deadline) {
      const { status, body } = await this.get();
      expect(status, `polling answered ${status} ${body} after ${JSON.stringify(seen)}`).toBe(200);
      for (const packet of body.split(SEPARATOR)) {
        seen.push(packet);
        if (match(packet)) return seen;
      }
    }
    throw new Error(`no matching packet in 5 s; got ${JSON.stringify(seen)}`);
  }

  /** Ends the session cleanly (Engine.IO close packet). */
  async close(): Promise<void> {
    await this.post('1');
  }
}

async function request(url: string, init: RequestInit = {}): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: await res.text() };
}

/** An Engine.IO v4 polling payload: packets joined by the record separator, binary as base64. */
function pollingPayload(packets: readonly Packet[]): string {
  return packets.map((p) => (typeof p === 'string' ? p : `b${p.toString('base64')}`)).join(SEPARATOR);
}

// ---------------------------------------------------------------------------------------------
// The packets.

/** An Engine.IO packet: text, or a binary attachment. */
type Packet = string | Buffer;

const placeholder = (num: unknown) => JSON.stringify({ _placeholder: true, num });
const attachment = () => Buffer.from('not announced');

/** An unknown event that asks for an ack: its INVALID answer proves the packets before it were read and ignored. */
const BARRIER = '4290["parley:barrier"]';
const isBarrierAnswer = (packet: string) => packet.startsWith('4390[');
const UNKNOWN_EVENT = '[{"ok":false,"error":{"code":"INVALID","message":"unknown event"}}]';

/**
 * What the server does with the connection:
 * - 'engine.io closes': Engine.IO rejects the packet and closes the transport at once
 *   (WebSocket: close frame without status, 1005; polling: the session is gone, 400).
 * - 'socket.io closes': the Socket.IO parser or client rejects it and closes the connection
 *   (WebSocket: 1005; polling: the next poll gets noop + close, then the session is gone).
 * - 'parley disconnects': Parley's dispatcher ends the socket with a Socket.IO DISCONNECT ("41")
 *   and closes the connection.
 * - 'ignored': the packet is read and dropped; the connection stays open and answers the next packet.
 */
type Verdict = 'engine.io closes' | 'socket.io closes' | 'parley disconnects' | 'ignored';

interface PacketCase {
  name: string;
  packets: Packet[];
  verdict: Verdict;
  /** For ignored packets that ask for an ack: the answer. */
  answer?: string;
}

const reservedNames = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];

const packetCases: PacketCase[] = [
  // Engine.IO
  { name: 'unknown Engine.IO packet type 9', packets: ['9'], verdict: 'engine.io closes' },
  { name: 'empty Engine.IO packet', packets: [''], verdict: 'engine.io closes' },
  { name: 'Engine.IO ping from the client (v4 pings go server to client)', packets: ['2'], verdict: 'engine.io closes' },
  // Socket.IO packet framing
  { name: 'unknown Socket.IO packet type 9', packets: ['49["x"]'], verdict: 'socket.io closes' },
  { name: 'non-numeric Socket.IO packet type', packets: ['4x["x"]'], verdict: 'socket.io closes' },
  { name: 'broken JSON', packets: ['42["message:send",{'], verdict: 'socket.io closes' },
  { name: 'EVENT whose data is an object, not an array', packets: ['42{"event":"message:send"}'], verdict: 'socket.io closes' },
  { name: 'EVENT with no data at all', packets: ['42'], verdict: 'ignored' },
  { name: 'EVENT with an ack id and no data at all', packets: ['4291'], verdict: 'ignored' },
  { name: 'a second CONNECT on the same namespace', packets: ['40{}'], verdict: 'socket.io closes' },
  { name: 'CONNECT_ERROR sent by the client', packets: ['44"x"'], verdict: 'socket.io closes' },
  { name: 'EVENT on a namespace it never joined', packets: ['42/admin,["x"]'], verdict: 'socket.io closes' },
  // Event names
  ...reservedNames.map((event): PacketCase => ({
    name: `reserved event name "${event}"`,
    packets: [`42["${event}","x"]`],
    verdict: 'socket.io closes',
  })),
  // "error" passes socket.io's parser; Parley's dispatcher closes the connection on it.
  { name: 'an event named "error"', packets: ['42["error","x"]'], verdict: 'parley disconnects' },
  { name: 'an event named "error" asking for an ack', packets: ['4291["error","x"]'], verdict: 'parley disconnects' },
  { name: 'a numeric event name asking for an ack', packets: ['4291[1,"x"]'], verdict: 'ignored', answer: `4391${UNKNOWN_EVENT}` },
  { name: 'an ACK for an id the server never used', packets: ['43999[{"ok":true}]'], verdict: 'ignored' },
  // Binary attachments
  { name: 'a binary attachment nobody announced', packets: [attachment()], verdict: 'socket.io closes' },
  {
    name: 'BINARY_EVENT followed by a text packet instead of its attachment',
    packets: [`451-91["message:send",${placeholder(0)}]`, '42["x"]'],
    verdict: 'socket.io closes',
  },
  { name: '11 attachments (socket.io-parser allows 10)', packets: [`4511-["x",${placeholder(0)}]`], verdict: 'socket.io closes' },
  { name: '100 attachments', packets: [`45100-["x",${placeholder(0)}]`], verdict: 'socket.io closes' },
  {
    name: 'an attachment count too large for a number',
    packets: [`45${'9'.repeat(400)}-["x",${placeholder(0)}]`],
    verdict: 'socket.io closes',
  },
  { name: 'zero attachments', packets: ['450-["x"]'], verdict: 'socket.io closes' },
  { name: 'a negative attachment count', packets: ['45-1-["x"]'], verdict: 'socket.io closes' },
  { name: 'an attachment count without its dash', packets: ['451["x"]'], verdict: 'socket.io closes' },
  {
    name: 'a placeholder index out of range',
    packets: [`451-91["message:send",${placeholder(5)}]`, attachment()],
    verdict: 'socket.io closes',
  },
  {
    name: 'a negative placeholder index',
    packets: [`451-91["message:send",${placeholder(-1)}]`, attachment()],
    verdict: 'socket.io closes',
  },
  {
    name: 'a placeholder index that is a string',
    packets: [`451-91["message:send",${placeholder('0')}]`, attachment()],
    verdict: 'socket.io closes',
  },
  // Parley's protocol is JSON only (src/realtime/parser.ts): even a well-formed BINARY_EVENT closes
  // the connection at once, so a half-built one can never be held open.
  {
    name: 'a BINARY_EVENT whose attachment never comes',
    packets: [`451-91["message:send",${placeholder(0)}]`],
    verdict: 'socket.io closes',
  },
  {
    name: 'a well-formed BINARY_EVENT with 10 attachments (the parser limit)',
    packets: [
      `4510-91["x",[${Array.from({ length: 10 }, (_, i) => placeholder(i)).join(',')}]]`,
      ...Array.from({ length: 10 }, attachment),
    ],
    verdict: 'socket.io closes',
  },
];

// ---------------------------------------------------------------------------------------------

describe('raw packets over a WebSocket', () => {
  async function attack(send: (ws: RawWebSocket) => void): Promise<RawWebSocket> {
    const ws = await RawWebSocket.connect(server.port, mallory.token);
    send(ws);
    return ws;
  }

  /** The connection answers the barrier, so it read (and dropped) everything sent before. */
  async function expectIgnored(ws: RawWebSocket, answer?: string) {
    ws.send(BARRIER);
    expect(await ws.nextText(isBarrierAnswer)).toBe(`4390${UNKNOWN_EVENT}`);
    expect(ws.texts().filter((t) => t.startsWith('43') && !isBarrierAnswer(t))).toEqual(answer ? [answer] : []);
    expect(ws.ended).toBe(false);
    ws.destroy();
  }

  it.each(packetCases)('$name: $verdict', async ({ name, packets, verdict, answer }) => {
    const ws = await attack((ws) => ws.sendPackets(packets));
    if (verdict === 'ignored') await expectIgnored(ws, answer);
    else expect(await ws.closed()).toBe(1005);
    await stillServing(name);
  });

  const tooBig = `42["x","${'x'.repeat(MAX_PACKET_BYTES)}"]`;
  const frameCases: Array<{ name: string; bytes: () => Buffer[]; code: number }> = [
    { name: 'a text frame over maxHttpBufferSize', bytes: () => [encodeFrame(OP.text, tooBig)], code: 1009 },
    {
      name: 'a frame header announcing 1 GiB (nothing follows)',
      bytes: () => [encodeFrame(OP.text, '', { announced: 2 ** 30 })],
      code: 1009,
    },
    {
      name: 'fragments adding up to more than maxHttpBufferSize',
      bytes: () =>
        Array.from({ length: 5 }, (_, i) => encodeFrame(i ? OP.continuation : OP.text, 'x'.repeat(MAX_PACKET_BYTES / 4), { fin: false })),
      code: 1009,
    },
    { name: 'an unmasked client frame', bytes: () => [encodeFrame(OP.text, BARRIER, { mask: false })], code: 1002 },
    { name: 'RSV1 set without permessage-deflate', bytes: () => [encodeFrame(OP.text, BARRIER, { rsv: 4 })], code: 1002 },
    { name: 'reserved opcode 3', bytes: () => [encodeFrame(3, BARRIER)], code: 1002 },
    { name: 'a continuation frame with nothing to continue', bytes: () => [encodeFrame(OP.continuation, BARRIER)], code: 1002 },
    { name: 'a ping frame over 125 bytes', bytes: () => [encodeFrame(OP.ping, Buffer.alloc(126))], code: 1002 },
    { name: 'a fragmented ping frame', bytes: () => [encodeFrame(OP.ping, 'x', { fin: false })], code: 1002 },
    {
      name: 'a fragment interrupted by a new text frame',
      bytes: () => [encodeFrame(OP.text, '42["x"', { fin: false }), encodeFrame(OP.text, BARRIER)],
      code: 1002,
    },
    { name: 'invalid UTF-8 in a text frame', bytes: () => [encodeFrame(OP.text, Buffer.from([0x34, 0x32, 0xff, 0xfe]))], code: 1007 },
  ];

  it.each(frameCases)('$name: closed with $code', async ({ name, bytes, code }) => {
    const ws = await attack((ws) => bytes().forEach((b) => ws.write(b)));
    expect(await ws.closed()).toBe(code);
    await stillServing(name);
  });

  it('a frame of exactly maxHttpBufferSize is accepted and answered', async () => {
    const head = '4291["x","';
    const ws = await attack((ws) => ws.send(`${head}${'x'.repeat(MAX_PACKET_BYTES - head.length - 2)}"]`));
    expect(await ws.nextText((t) => t.startsWith('4391'))).toBe(`4391${UNKNOWN_EVENT}`);
    ws.destroy();
    await stillServing('max frame');
  });

  // The server has no read timeout of its own for these: it waits until the Engine.IO heartbeat
  // (pingInterval 25 s + pingTimeout 20 s) gives up on a client that cannot answer pings. Too slow
  // to wait for here: these show that the wait harms nobody else, and that the server was waiting.
  describe('frames that never end: the server waits, and nobody else notices', () => {
    it('a frame header announcing 1000 bytes, followed by only 10', async () => {
      const packet = `4291["x","${'y'.repeat(1000 - 12)}"]`;
      const frame = encodeFrame(OP.text, packet);
      const headerBytes = frame.length - packet.length; // 4 of header, 4 of mask key
      const ws = await attack((ws) => ws.write(frame.subarray(0, headerBytes + 10)));
      await stillServing('unterminated frame');
      expect(ws.ended).toBe(false);
      // The rest completes the frame, and the packet is read and answered.
      ws.write(frame.subarray(headerBytes + 10));
      expect(await ws.nextText((t) => t.startsWith('4391'))).toBe(`4391${UNKNOWN_EVENT}`);
      ws.destroy();
    });

    it('a first fragment whose continuation never comes', async () => {
      const ws = await attack((ws) => ws.write(encodeFrame(OP.text, '4291["x",', { fin: false })));
      await stillServing('unfinished fragment');
      expect(ws.ended).toBe(false);
      ws.write(encodeFrame(OP.continuation, '"y"]'));
      expect(await ws.nextText((t) => t.startsWith('4391'))).toBe(`4391${UNKNOWN_EVENT}`);
      ws.destroy();
    });
  });
});

describe('raw packets over HTTP long polling', () => {
  const sessionGone = async (session: PollingSession) => {
    const { status, body } = await session.get();
    expect(status).toBe(400);
    expect(JSON.parse(body)).toEqual(SESSION_UNKNOWN);
  };

  it.each(packetCases)('$name: $verdict', async ({ name, packets, verdict, answer }) => {
    const session = await PollingSession.connect(server.url, mallory.token);
    if (verdict === 'ignored') {
      expect(await session.post(pollingPayload([...packets, BARRIER]))).toEqual({ status: 200, body: 'ok' });
      const received = await session.packetsUntil(isBarrierAnswer);
      expect(received.at(-1)).toBe(`4390${UNKNOWN_EVENT}`);
      expect(received.filter((p) => p.startsWith('43') && !isBarrierAnswer(p))).toEqual(answer ? [answer] : []);
      await session.close();
    } else {
      // The POST itself is accepted: the packets are decoded after its body has been read.
      expect(await session.post(pollingPayload(packets))).toEqual({ status: 200, body: 'ok' });
      // Engine.IO drops the session at once; a Socket.IO close waits for the next poll to carry
      // the close packet (after a noop), then the session is gone.
      if (verdict === 'socket.io closes') expect(await session.get()).toEqual({ status: 200, body: `6${SEPARATOR}1` });
      if (verdict === 'parley disconnects') {
        expect(await session.get()).toEqual({ status: 200, body: '41' });
        expect(await session.get()).toEqual({ status: 200, body: `6${SEPARATOR}1` });
      }
      await sessionGone(session);
    }
    await stillServing(`${name} (polling)`);
  });

  it('a POST over maxHttpBufferSize is refused with 413, and the session stays open (the packet is dropped)', async () => {
    const session = await PollingSession.connect(server.url, mallory.token);
    expect(await session.post(`4291["x","${'x'.repeat(MAX_PACKET_BYTES)}"]`)).toEqual({ status: 413, body: '' });
    expect(await session.post(BARRIER)).toEqual({ status: 200, body: 'ok' });
    const received = await session.packetsUntil(isBarrierAnswer);
    expect(received.filter((p) => p.startsWith('4391'))).toEqual([]);
    await session.close();
    await stillServing('oversized POST');
  });

  it('a binary (application/octet-stream) POST, which Engine.IO v4 does not speak, is refused with 400 and ends the session', async () => {
    const session = await PollingSession.connect(server.url, mallory.token);
    expect(await session.post(BARRIER, { 'content-type': 'application/octet-stream' })).toEqual({ status: 400, body: '' });
    await sessionGone(session);
    await stillServing('octet-stream POST');
  });

  it('a POST body shorter than its Content-Length hangs only itself; a second POST meanwhile gets 400 and ends the session', async () => {
    const session = await PollingSession.connect(server.url, mallory.token);
    const target = new URL(session.url);
    const socket = net.connect(server.port, '127.0.0.1');
    socket.on('error', () => {});
    const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
    socket.write(
      `POST ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: text/plain\r\n` +
        `Content-Length: 1000\r\n\r\n${BARRIER.slice(0, 10)}`,
    );
    await stillServing('unterminated POST');
    // Engine.IO allows one POST at a time per session. Until the hanging one has reached it, a POST
    // still goes through (a noop); once it has, the next is an overlap.
    let overlap: { status: number; body: string } | undefined;
    const deadline = Date.now() + 5_000;
    while (!overlap && Date.now() < deadline) {
      const answer = await session.post('6');
      if (answer.status !== 200) overlap = answer;
    }
    expect(overlap).toEqual({ status: 400, body: '' });
    await socketClosed; // the hanging POST's connection is destroyed, unanswered
    expect(response).toBe('');
    await sessionGone(session);
    await stillServing('overlapping POST');
  });
});

describe('after all that', () => {
  it('the server logged no error, and is still the same process', async () => {
    await stillServing('everything');
    const lines = server.output().split('\n').filter(Boolean);
    const bad = lines.filter((line) => !/^\{.*"level":(10|20|30|40),/.test(line));
    expect(bad, bad.join('\n')).toEqual([]);
  });
});
