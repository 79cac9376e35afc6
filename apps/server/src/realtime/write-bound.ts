import type { Logger } from 'pino';
import type { ParleyServer } from './types.js';

/** The parts of an Engine.IO socket (one connection, either transport) the bound reads. */
interface EngineConnection {
  id: string;
  transport: { name: string; writable: boolean; socket?: { bufferedAmount?: number; terminate?: () => void } };
  on(event: 'packetCreate', listener: (packet: { data?: unknown }) => void): void;
  on(event: 'flush', listener: () => void): void;
  close(discard?: boolean): void;
}

/**
 * Bounds what the server holds for one connection that does not read. Engine.IO queues every
 * packet in the socket's write buffer while the transport is busy, and ws queues what the kernel
 * will not take; neither has a limit, so a client that stops reading (and answers heartbeats)
 * would grow the server without end, with its own requests or with a busy room's broadcasts.
 *
 * Every packet (acks, broadcasts, heartbeats) goes through the write buffer, so the bound is
 * checked there: bytes queued in Engine.IO since the last flush plus what the WebSocket still
 * holds. Past `maxBytes` the connection is cut at once (terminate: a polite close would wait
 * behind the very bytes that are stuck). Long-polling holds no more than one response beyond its
 * write buffer, as Node stops reading pipelined requests while a response waits to drain.
 */
export function boundWriteBuffers(io: ParleyServer, maxBytes: number, logger: Logger): void {
  io.engine.on('connection', (conn: EngineConnection) => {
    let queued = 0;
    let cut = false;
    conn.on('flush', () => {
      queued = 0;
    });
    conn.on('packetCreate', (packet) => {
      // A writable transport sends this packet now (the flush resets `queued`) and holds nothing:
      // the WebSocket's send callback, which makes it writable again, comes once its bytes are
      // handed to the kernel. So only a busy transport is counted (issue 18: once per delivery).
      if (cut || conn.transport.writable) return;
      queued += byteSize(packet.data);
      const pending = queued + (conn.transport.socket?.bufferedAmount ?? 0);
      if (pending <= maxBytes) return;
      cut = true;
      logger.warn({ engineId: conn.id, pendingBytes: pending, maxBytes }, 'client stopped reading; connection cut');
      const { socket } = conn.transport;
      if (socket?.terminate) socket.terminate();
      else conn.close(true);
    });
  });
}

function byteSize(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}
