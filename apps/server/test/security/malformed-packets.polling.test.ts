import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_PACKET_BYTES } from '../../src/realtime/io.js';
import type { Packet } from '../support/raw-frames.js';
import { BARRIER, isBarrierAnswer, packetCases, UNKNOWN_EVENT, useScene } from './malformed-packets.support.js';

/**
 * Raw Engine.IO / Socket.IO packets, hand-written, over HTTP long polling, from an authenticated
 * attacker: the offending session is closed (or, where Socket.IO deliberately ignores a packet,
 * provably ignored), the server process survives, and two bystanders in a room keep chatting.
 * The same packets over a plain WebSocket, and the frame-level cases:
 * malformed-packets.websocket.test.ts.
 *
 * The server runs as its own process so that a crash is seen as a crash, not as a failing test
 * (malformed-packets.support.ts). This file has its own process, so it checks after its cases that
 * the server logged no error (the WebSocket file has a test for that, for its own process).
 */

const scene = useScene({ checkLogAfterAll: true });
const { stillServing } = scene;

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

describe('raw packets over HTTP long polling', () => {
  const sessionGone = async (session: PollingSession) => {
    const { status, body } = await session.get();
    expect(status).toBe(400);
    expect(JSON.parse(body)).toEqual(SESSION_UNKNOWN);
  };

  it.each(packetCases)('$name: $verdict', async ({ name, packets, verdict, answer }) => {
    const session = await PollingSession.connect(scene.server.url, scene.mallory.token);
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
    const session = await PollingSession.connect(scene.server.url, scene.mallory.token);
    expect(await session.post(`4291["x","${'x'.repeat(MAX_PACKET_BYTES)}"]`)).toEqual({ status: 413, body: '' });
    expect(await session.post(BARRIER)).toEqual({ status: 200, body: 'ok' });
    const received = await session.packetsUntil(isBarrierAnswer);
    expect(received.filter((p) => p.startsWith('4391'))).toEqual([]);
    await session.close();
    await stillServing('oversized POST');
  });

  it('a binary (application/octet-stream) POST, which Engine.IO v4 does not speak, is refused with 400 and ends the session', async () => {
    const session = await PollingSession.connect(scene.server.url, scene.mallory.token);
    expect(await session.post(BARRIER, { 'content-type': 'application/octet-stream' })).toEqual({ status: 400, body: '' });
    await sessionGone(session);
    await stillServing('octet-stream POST');
  });

  it('a POST body shorter than its Content-Length hangs only itself; a second POST meanwhile gets 400 and ends the session', async () => {
    const session = await PollingSession.connect(scene.server.url, scene.mallory.token);
    const target = new URL(session.url);
    const socket = net.connect(scene.server.port, '127.0.0.1');
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
