import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  type Ack,
  type ClientEventName,
  type ClientPayload,
  type ClientResult,
  type ClientToServerEvents,
  type ServerEventName,
  type ServerPayload,
  type ServerToClientEvents,
  type User,
} from '@parley/protocol';
import { pino } from 'pino';
import { io as ioClient, type Socket } from 'socket.io-client';
import { createApp, type App, type AppDeps } from '../../src/app.js';
import { createSqliteStorage } from '../../src/storage/sqlite/index.js';
import type { Storage } from '../../src/storage/storage.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  url: string;
  app: App;
  storage: Storage;
  dataDir: string;
  close(): Promise<void>;
}

/** The real app on port 0 with SQLite in a fresh temporary folder. */
export async function startServer(overrides: Partial<AppDeps> = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
  const storage = overrides.storage ?? createSqliteStorage(dataDir);
  const app = createApp({ storage, logger: pino({ level: 'silent' }), ...overrides });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = app.httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    storage,
    dataDir,
    close: async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Person {
  user: User;
  token: string;
}

let counter = 0;
/** A unique, valid username for this test run. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}${process.pid % 1000}_${counter}`;
}

export async function register(url: string, username: string, password = 'correct horse'): Promise<Person> {
  const res = await fetch(`${url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 201) throw new Error(`register ${username}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Person;
}

export function api(url: string, token?: string) {
  return async (pathname: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (init.body) headers.set('content-type', 'application/json');
    const res = await fetch(`${url}${pathname}`, { ...init, headers });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as any) : undefined };
  };
}

/**
 * A connected socket.io-client that records every server event it receives, in order,
 * so tests can assert on what arrived (and what did not) before a later event.
 */
export class Client {
  readonly events: Array<{ event: string; payload: any }> = [];
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly socket: ClientSocket,
    readonly person: Person,
  ) {
    socket.onAny((event: string, payload: unknown) => {
      this.events.push({ event, payload });
      for (const wake of this.waiters) wake();
    });
  }

  get user(): User {
    return this.person.user;
  }

  /** Emits with an ack and resolves with the Ack. */
  request<E extends ClientEventName>(event: E, payload: ClientPayload<E>): Promise<Ack<ClientResult<E>>> {
    return (this.socket.timeout(10_000) as any).emitWithAck(event, payload);
  }

  /** Emits and resolves with ack data, failing the test on an error ack. */
  async call<E extends ClientEventName>(event: E, payload: ClientPayload<E>): Promise<ClientResult<E>> {
    const ack = await this.request(event, payload);
    if (!ack.ok) throw new Error(`${event} failed: ${ack.error.code} ${ack.error.message}`);
    return ack.data;
  }

  /** Resolves with the first recorded event (from the start) that matches; waits if none yet. */
  waitFor<E extends ServerEventName>(
    event: E,
    match: (payload: ServerPayload<E>) => boolean = () => true,
    { since = 0, timeoutMs = 10_000 }: { since?: number; timeoutMs?: number } = {},
  ): Promise<ServerPayload<E>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.slice(since).find((e) => e.event === event && match(e.payload));
        if (!found) return false;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found.payload);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`${this.user.username} did not receive ${event} in ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }

  /** Like waitFor, but only for events that arrive after this call: call it before the action. */
  next<E extends ServerEventName>(event: E, match: (payload: ServerPayload<E>) => boolean = () => true) {
    return this.waitFor(event, match, { since: this.events.length });
  }

  received<E extends ServerEventName>(event: E, match: (payload: ServerPayload<E>) => boolean = () => true) {
    return this.events.filter((e) => e.event === event && match(e.payload)).map((e) => e.payload as ServerPayload<E>);
  }

  close(): void {
    this.socket.disconnect();
  }
}

export function connectSocket(url: string, options: Parameters<typeof ioClient>[1] = {}): ClientSocket {
  return ioClient(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...options });
}

/** Resolves on connect, rejects with the connect_error message. */
export function connected(socket: ClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
}

export async function connect(url: string, person: Person): Promise<Client> {
  const socket = connectSocket(url, { auth: { token: person.token } });
  const client = new Client(socket, person);
  await connected(socket);
  return client;
}

/** Registers and connects a person. */
export async function join(url: string, prefix: string): Promise<Client> {
  return connect(url, await register(url, uniqueName(prefix)));
}

/** Resolves when the socket disconnects, with the reason. */
export function disconnected(socket: ClientSocket): Promise<string> {
  return new Promise((resolve) => {
    if (socket.disconnected) return resolve('already disconnected');
    socket.once('disconnect', (reason) => resolve(reason));
  });
}

/** Starts the real app on port 0: startServer (SQLite), or one on another storage (test/support/storages.ts). */
export type StartServer = (overrides?: Partial<AppDeps>) => Promise<TestServer>;

/** A server with alice, bob and carol connected: the cast of most socket tests. `start` picks the storage, SQLite by default. */
export async function startWithPeople(overrides: Partial<AppDeps> = {}, start: StartServer = startServer) {
  const server = await start(overrides);
  const [alice, bob, carol] = await Promise.all([join(server.url, 'alice'), join(server.url, 'bob'), join(server.url, 'carol')]);
  return { server, alice: alice!, bob: bob!, carol: carol! };
}

export async function stopAll(server: TestServer, ...clients: Client[]): Promise<void> {
  for (const client of clients) client.close();
  await server.close();
}

/** A decoded Socket.IO packet, as the client's manager reports it. */
export interface Packet {
  type: number;
  data?: unknown;
}

/**
 * Cuts the client's transport as a network failure would (the server sees "transport close", a
 * reason connection state recovery applies to) and resolves once the server has let the socket
 * go. Every packet the client decodes from then on is recorded, whether or not it connects again.
 */
export async function dropTransport(server: TestServer, client: Client): Promise<Packet[]> {
  const serverSocket = server.app.io.of('/').sockets.get(client.socket.id!);
  if (!serverSocket) throw new Error('no server socket');
  const gone = once(serverSocket, 'disconnect');
  const packets: Packet[] = [];
  client.socket.io.on('packet', (packet) => packets.push(packet));
  client.socket.io.engine.close();
  await gone;
  return packets;
}

/** The names of the events among recorded packets. */
export const eventNames = (packets: Packet[]) => packets.filter((p) => p.type === 2).map((p) => (p.data as unknown[])[0]);
