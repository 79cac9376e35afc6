import { describe, expect, it } from 'vitest';
import { MAX_PACKET_BYTES } from '../../src/realtime/io.js';
import { encodeFrame, OP, RawWebSocket } from '../support/raw-frames.js';
import { BARRIER, isBarrierAnswer, packetCases, UNKNOWN_EVENT, useScene } from './malformed-packets.support.js';

/**
 * Raw Engine.IO / Socket.IO packets, hand-written, over a plain WebSocket, from an authenticated
 * attacker: the offending connection is closed (or, where Socket.IO deliberately ignores a packet,
 * provably ignored), the server process survives, and two bystanders in a room keep chatting.
 * The same packets over HTTP long polling: malformed-packets.polling.test.ts.
 *
 * The server runs as its own process so that a crash is seen as a crash, not as a failing test
 * (malformed-packets.support.ts). The WebSocket client is written on node:net
 * (test/support/raw-frames.ts), as the frame-level cases (unterminated, unmasked, oversized
 * frames...) need bytes no WebSocket library would send.
 */

const scene = useScene();
const { stillServing } = scene;

describe('raw packets over a WebSocket', () => {
  async function attack(send: (ws: RawWebSocket) => void): Promise<RawWebSocket> {
    const ws = await RawWebSocket.connect(scene.server.port, scene.mallory.token);
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

describe('after all that', () => {
  it('the server logged no error, and is still the same process', async () => {
    await stillServing('everything');
    const lines = scene.server.output().split('\n').filter(Boolean);
    const bad = lines.filter((line) => !/^\{.*"level":(10|20|30|40),/.test(line));
    expect(bad, bad.join('\n')).toEqual([]);
  });
});
