import { RawWebSocket } from './ws-raw.js';

/**
 * A minimal Socket.IO v5 client over Engine.IO v4 WebSocket framing, on the raw-socket WebSocket
 * client (ws-raw.ts), so the load generator measures the server and not its own client. Text
 * packets only: `0{...}` open, `2`/`3` ping/pong, `40{auth}` connect, `42[id][event,...]` event,
 * `43id[...]` ack. An event's bytes are handed over as a view into the shared read buffer, valid
 * only during the call: no copy, no decoding. Acks and the handshake decode (they are rare).
 */
export class EioSocket {
  private ackSeq = 0;
  private readonly acks = new Map<number, (args: unknown[]) => void>();
  private ws: RawWebSocket | undefined;

  private constructor(private readonly onEvent: (raw: Buffer) => void) {}

  static open(url: string, auth: object | undefined, onEvent: (raw: Buffer) => void): Promise<EioSocket> {
    const socket = new EioSocket(onEvent);
    return new Promise((resolve, reject) => {
      const onMessage = (data: Buffer) => {
        const type = data[0];
        // Events are the hot path: hand over the bytes without decoding them.
        if (type === 0x34 /* 4 message */ && data[1] === 0x32 /* 42 event */) return socket.onEvent(data);
        if (type === 0x32 /* 2 ping */) return socket.ws!.send('3');
        if (type === 0x30 /* 0 open */) return socket.ws!.send(auth ? `40${JSON.stringify(auth)}` : '40');
        if (type !== 0x34) return;
        if (data[1] === 0x33 /* 43 ack */) return socket.onAck(data.toString());
        if (data[1] === 0x30 /* 40 connected */) return resolve(socket);
        if (data[1] === 0x34 /* 44 refused */) return reject(new Error(`connect refused: ${data.toString().slice(2)}`));
      };
      socket.ws = RawWebSocket.connect(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, onMessage);
      socket.ws.ready.catch(reject);
    });
  }

  private onAck(raw: string) {
    const bracket = raw.indexOf('[');
    const id = Number(raw.slice(2, bracket));
    const resolve = this.acks.get(id);
    if (!resolve) return;
    this.acks.delete(id);
    resolve(JSON.parse(raw.slice(bracket)) as unknown[]);
  }

  emit(event: string, ...args: unknown[]): void {
    this.ws!.send(`42${JSON.stringify([event, ...args])}`);
  }

  emitWithAck(event: string, ...args: unknown[]): Promise<unknown[]> {
    const id = ++this.ackSeq;
    return new Promise((resolve) => {
      this.acks.set(id, resolve);
      this.ws!.send(`42${id}${JSON.stringify([event, ...args])}`);
    });
  }

  /** Sends with an ack id and calls back on the ack without allocating a promise. */
  emitAcked(event: string, args: unknown[], onAck: (args: unknown[]) => void): void {
    const id = ++this.ackSeq;
    this.acks.set(id, onAck);
    this.ws!.send(`42${id}${JSON.stringify([event, ...args])}`);
  }

  close(): void {
    this.ws?.close();
  }
}
