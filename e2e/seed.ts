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
