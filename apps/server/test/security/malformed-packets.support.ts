import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { connect, register, uniqueName, type Client, type Person } from '../support/harness.js';
import { startProcess, type ServerProcess } from '../support/process.js';
import type { Packet } from '../support/raw-frames.js';

/**
 * What the malformed-packet suites share (malformed-packets.websocket.test.ts and
 * malformed-packets.polling.test.ts): the server in its own process, so that a crash is seen as a
 * crash, not as a failing test; two bystanders in a room who must keep chatting after every case;
 * the authenticated attacker, mallory; and the raw Engine.IO / Socket.IO packets both transports
 * send, each with what the server does about it.
 */

export interface Scene {
  /** The server process (set in beforeAll). */
  readonly server: ServerProcess;
  /** The attacker: registered, not connected (set in beforeAll). */
  readonly mallory: Person;
  /**
   * The process is alive, healthy, and the bystanders were not disconnected: a message sent by one
   * reaches the other (they take turns sending, to stay far below any per-user message rate).
   * On failure, the server's own output (a crash's stack trace) comes with the error.
   */
  stillServing(tag: string): Promise<void>;
}

/**
 * Starts one server process for the file, registers alice and bob (connected, in one room) and
 * mallory, and stops it all after the file. Once the server has died, every later test fails at
 * once, with its output (the stack trace).
 *
 * `checkLogAfterAll`: once the file's tests are done, and before the server stops, fail if it
 * logged anything but debug, info and warn lines, for a file with no test of its own for that.
 */
export function useScene({ checkLogAfterAll = false } = {}): Scene {
  let server: ServerProcess | undefined;
  let dataDir: string;
  let alice: Client;
  let bob: Client;
  let mallory: Person | undefined;
  let roomId: string;

  const started = () => {
    if (!server) throw new Error('the server is only there once beforeAll has run');
    return server;
  };

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
    // Read before the server stops; thrown after everything is cleaned up.
    const logged = checkLogAfterAll && server ? unexpectedLogLines(server) : [];
    alice?.close();
    bob?.close();
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      const exited = new Promise((resolve) => server!.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    if (logged.length > 0) throw new Error(`the server logged errors:\n${logged.join('\n')}`);
  });

  beforeEach(() => {
    const server = started();
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`the server died (exit code ${server.child.exitCode}, signal ${server.child.signalCode}):\n${serverOutput()}`);
    }
  });

  /** The server's output without its info lines (request logs). */
  function serverOutput(): string {
    const lines = started()
      .output()
      .split('\n')
      .filter((line) => line && !line.startsWith('{"level":30,'));
    return lines.slice(-60).join('\n');
  }

  let round = 0;
  async function stillServing(tag: string): Promise<void> {
    const server = started();
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

  return {
    get server() {
      return started();
    },
    get mallory() {
      if (!mallory) throw new Error('mallory is only there once beforeAll has run');
      return mallory;
    },
    stillServing,
  };
}

/** The lines of the server's output that are not debug, info or warn log lines. */
function unexpectedLogLines(server: ServerProcess): string[] {
  const lines = server.output().split('\n').filter(Boolean);
  return lines.filter((line) => !/^\{.*"level":(10|20|30|40),/.test(line));
}

// ---------------------------------------------------------------------------------------------
// The packets.

const placeholder = (num: unknown) => JSON.stringify({ _placeholder: true, num });
const attachment = () => Buffer.from('not announced');

/** An unknown event that asks for an ack: its INVALID answer proves the packets before it were read and ignored. */
export const BARRIER = '4290["parley:barrier"]';
export const isBarrierAnswer = (packet: string) => packet.startsWith('4390[');
export const UNKNOWN_EVENT = '[{"ok":false,"error":{"code":"INVALID","message":"unknown event"}}]';

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
export type Verdict = 'engine.io closes' | 'socket.io closes' | 'parley disconnects' | 'ignored';

export interface PacketCase {
  name: string;
  packets: Packet[];
  verdict: Verdict;
  /** For ignored packets that ask for an ack: the answer. */
  answer?: string;
}

const reservedNames = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];

export const packetCases: PacketCase[] = [
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
