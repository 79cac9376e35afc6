import { randomBytes } from 'node:crypto';
import { PROTOCOL_VERSION } from '@parley/protocol';
import { EioSocket } from './eio.js';
import type { ServerName } from './server-process.js';
import { RawWebSocket } from './ws-raw.js';

/** One connection of the load generator, whatever the server speaks. */
export interface Conn {
  /** Joins a room created by `createRoom`. */
  join(roomId: string): Promise<void>;
  /** Sends a chat message; calls onAck when the server acknowledges it (servers that ack), with the message's id where there is one. */
  send(roomId: string, text: string, onAck?: (messageId?: string) => void): void;
  /** Parley only: edits a message of this connection's user. */
  edit?(roomId: string, messageId: string, text: string, onAck?: () => void): void;
  /** Parley only: sets (on) or removes this connection's user's reaction. */
  react?(roomId: string, messageId: string, emoji: string, on: boolean, onAck?: () => void): void;
  close(): void;
}

export interface Driver {
  name: ServerName;
  /**
   * Opens connection number `index` (Parley: as seeded user `index`). Deliveries go to onDelivery raw:
   * a view into the generator's shared read buffer, valid only during the call.
   */
  connect(url: string, index: number, onDelivery: (raw: Buffer) => void): Promise<Conn>;
  /** Makes room `index` with `creator` as its first member; returns its id. */
  createRoom(creator: Conn, index: number): Promise<string>;
  acks: boolean;
}

class WsConn implements Conn {
  constructor(private readonly ws: RawWebSocket) {}
  async join(roomId: string) {
    this.ws.send(JSON.stringify({ t: 'join', room: roomId }));
  }
  send(roomId: string, text: string) {
    this.ws.send(JSON.stringify({ t: 'msg', room: roomId, text }));
  }
  close() {
    this.ws.close();
  }
}

const b0: Driver = {
  name: 'B0',
  acks: false,
  connect: async (url, _index, onDelivery) => {
    // Every message B0 sends is a delivery: hand the raw socket's payload view straight over.
    const ws = RawWebSocket.connect(`${url.replace(/^http/, 'ws')}/`, onDelivery);
    await ws.ready;
    return new WsConn(ws);
  },
  createRoom: async (creator, index) => {
    await creator.join(`room${index}`);
    return `room${index}`;
  },
};

function tutorialDriver(name: 'B1' | 'B2'): Driver {
  let offset = 0;
  return {
    name,
    acks: name === 'B2',
    connect: async (url, _index, onDelivery) => {
      const socket = await EioSocket.open(url, undefined, onDelivery);
      return {
        join: async (roomId) => {
          socket.emit('join', roomId);
        },
        send: (roomId, text, onAck) => {
          if (name === 'B1') socket.emit('chat message', { room: roomId, text });
          else socket.emitAcked('chat message', [{ room: roomId, text }, `o${++offset}`], () => onAck?.());
        },
        close: () => socket.close(),
      };
    },
    createRoom: async (creator, index) => {
      await creator.join(`room${index}`);
      return `room${index}`;
    },
  };
}

/** An ack of message:send, message:edit or reaction:set, as far as the generator reads it. */
type MessageAck = { ok: boolean; data?: { message: { id: string } } };

/**
 * Parley through its real contract: token handshake, room:create/join, message:send with acks;
 * message:edit and reaction:set for the change-stream scenario.
 */
export function parleyDriver(tokens: readonly string[]): Driver {
  const sockets = new WeakMap<Conn, EioSocket>();
  let sent = 0;
  const prefix = randomBytes(4).toString('hex');
  return {
    name: 'Parley',
    acks: true,
    connect: async (url, index, onDelivery) => {
      const token = tokens[index % tokens.length]!;
      const socket = await EioSocket.open(url, { token, protocol: PROTOCOL_VERSION }, onDelivery);
      const conn: Conn = {
        join: async (roomId) => {
          const [ack] = (await socket.emitWithAck('room:join', { roomId })) as [{ ok: boolean; error?: unknown }];
          if (!ack.ok) throw new Error(`room:join failed: ${JSON.stringify(ack.error)}`);
        },
        send: (roomId, text, onAck) => {
          socket.emitAcked('message:send', [{ roomId, clientMsgId: `${prefix}-${++sent}`, text }], (args) =>
            onAck?.((args[0] as MessageAck | undefined)?.data?.message.id),
          );
        },
        edit: (roomId, messageId, text, onAck) => {
          socket.emitAcked('message:edit', [{ roomId, messageId, text }], () => onAck?.());
        },
        react: (roomId, messageId, emoji, on, onAck) => {
          socket.emitAcked('reaction:set', [{ roomId, messageId, emoji, on }], () => onAck?.());
        },
        close: () => socket.close(),
      };
      sockets.set(conn, socket);
      return conn;
    },
    createRoom: async (creator, index) => {
      const socket = sockets.get(creator)!;
      const [ack] = (await socket.emitWithAck('room:create', { name: `bench ${index}`, visibility: 'public' })) as [
        { ok: boolean; data: { room: { id: string } } },
      ];
      if (!ack.ok) throw new Error('room:create failed');
      return ack.data.room.id;
    },
  };
}

export const baselineDrivers = { B0: b0, B1: tutorialDriver('B1'), B2: tutorialDriver('B2') };
