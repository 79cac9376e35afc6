import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, Room, ServerToClientEvents, User } from '@parley/protocol';
import { seedMessages } from '../seed';

export interface SeededChat {
  user: User;
  /** The session token: the web app's cookie carries the same value. */
  token: string;
  roomId: string;
}

/** A signed-up person with a public room holding a short conversation, all through Parley's public API. */
export async function seedChat(baseURL: string): Promise<SeededChat> {
  const username = `lighthouse_${randomBytes(4).toString('hex')}`;
  const res = await fetch(`${baseURL}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'a good long password' }),
  });
  if (res.status !== 201) throw new Error(`registering ${username} failed: ${res.status} ${await res.text()}`);
  const { user, token } = (await res.json()) as { user: User; token: string };

  const roomId = await createRoom(baseURL, token, 'Release planning');
  await seedMessages(baseURL, token, roomId, [
    'Morning! Shall we plan the release?',
    'The changelog is at https://example.com/changelog',
    'I will write the migration notes today.',
    'Great, thanks. Let us ship on Thursday.',
  ]);
  return { user, token, roomId };
}

async function createRoom(baseURL: string, token: string, name: string): Promise<string> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(baseURL, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const ack = (await socket.timeout(10_000).emitWithAck('room:create', { name, visibility: 'public' })) as Ack<{ room: Room }>;
    if (!ack.ok) throw new Error(`creating the room failed: ${ack.error.code} ${ack.error.message}`);
    return ack.data.room.id;
  } finally {
    socket.close();
  }
}
