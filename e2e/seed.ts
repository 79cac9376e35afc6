import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, Message, ServerToClientEvents } from '@parley/protocol';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Seeds messages through Parley's real socket API, as another client of the contract would. */
export async function seedMessages(baseURL: string, token: string, roomId: string, texts: readonly string[]): Promise<Message[]> {
  const socket: ClientSocket = io(baseURL, { auth: { token }, transports: ['websocket'], forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const stored: Message[] = [];
  try {
    for (const [i, text] of texts.entries()) {
      const ack = (await socket.timeout(10_000).emitWithAck('message:send', {
        roomId,
        clientMsgId: `seed-${i}`,
        text,
      })) as Ack<{ message: Message }>;
      if (!ack.ok) throw new Error(`seeding failed: ${ack.error.code} ${ack.error.message}`);
      stored.push(ack.data.message);
    }
  } finally {
    socket.close();
  }
  return stored;
}

/**
 * Seeds many messages quickly: `sockets` connections, each with at most `inFlight` sends awaiting
 * their ack (the server's per-socket bound on events in flight is 8). Messages land in the order the
 * server stores them, so they are returned sorted by seq; `textOf(i)` gives the i-th text sent.
 */
export async function seedManyMessages(
  baseURL: string,
  token: string,
  roomId: string,
  count: number,
  textOf: (i: number) => string,
  { sockets = 2, inFlight = 8 }: { sockets?: number; inFlight?: number } = {},
): Promise<Message[]> {
  const clients: ClientSocket[] = Array.from({ length: sockets }, () =>
    io(baseURL, { auth: { token }, transports: ['websocket'], forceNew: true }),
  );
  const stored: Message[] = [];
  let next = 0;
  try {
    await Promise.all(
      clients.map(
        (socket) =>
          new Promise<void>((resolve, reject) => {
            socket.once('connect', resolve);
            socket.once('connect_error', reject);
          }),
      ),
    );
    const worker = async (socket: ClientSocket) => {
      for (let i = next++; i < count; i = next++) {
        const ack = (await socket.timeout(30_000).emitWithAck('message:send', {
          roomId,
          clientMsgId: `seed-many-${i}`,
          text: textOf(i),
        })) as Ack<{ message: Message }>;
        if (!ack.ok) throw new Error(`seeding failed: ${ack.error.code} ${ack.error.message}`);
        stored.push(ack.data.message);
      }
    };
    await Promise.all(clients.flatMap((socket) => Array.from({ length: inFlight }, () => worker(socket))));
  } finally {
    for (const socket of clients) socket.close();
  }
  return stored.sort((a, b) => a.seq - b.seq);
}
