import type { ReactNode } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { createQueryClient } from '../../src/lib/query-client';
import { SocketContext } from '../../src/lib/socket-context';
import { FakeSocket } from './fake-socket';

export const ME = { id: 'u_me', username: 'me' };
export const BOB = { id: 'u_bob', username: 'bob' };

export function setup() {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const socket = new FakeSocket();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <SocketContext.Provider value={socket.asSocket()}>
        <MemoryRouter>{children}</MemoryRouter>
      </SocketContext.Provider>
    </QueryClientProvider>
  );
  return { queryClient, socket, wrapper };
}

export function message(seq: number, overrides: Partial<{ roomId: string; author: typeof ME; text: string; clientMsgId: string }> = {}) {
  return {
    id: `m_${seq}`,
    roomId: overrides.roomId ?? 'r_1',
    seq,
    author: overrides.author ?? BOB,
    text: overrides.text ?? `message ${seq}`,
    clientMsgId: overrides.clientMsgId ?? `c_${seq}`,
    createdAt: new Date(Date.UTC(2026, 10, 23, 12, 0, seq)).toISOString(),
  };
}

/** A fetch stand-in for GET /api/rooms/:id/messages over a list of stored messages. */
export function historyServer(stored: ReturnType<typeof message>[], rooms: unknown[] = []) {
  const calls: string[] = [];
  const fetchImpl = async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://parley.test');
    if (url.pathname === '/api/rooms') return new Response(JSON.stringify({ rooms }), { status: 200 });
    calls.push(url.pathname + url.search);
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const before = url.searchParams.get('before');
    const after = url.searchParams.get('after');
    let page;
    if (after !== null) page = stored.filter((m) => m.seq > Number(after)).slice(0, limit);
    else if (before !== null) page = stored.filter((m) => m.seq < Number(before)).slice(-limit);
    else page = stored.slice(-limit);
    return new Response(JSON.stringify({ messages: page }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { calls, fetchImpl };
}

export type { QueryClient };
