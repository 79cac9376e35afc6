import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '@parley/protocol';
import type { Server, Socket } from 'socket.io';

export type ParleyServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ParleySocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
