import type { ReactNode } from 'react';
import type { Message } from '@parley/protocol';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { createQueryClient } from '../../src/lib/query-client';
import { SocketContext } from '../../src/lib/socket-context';
import { FakeSocket } from './fake-socket';

/** A query client (no retries), a fake socket, and a `wrapper` providing both inside a router at `path`. */
export function setup({ path = '/' }: { path?: string } = {}) {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const socket = new FakeSocket();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <SocketContext.Provider value={socket.asSocket()}>
        <MemoryRouter initialEntries={[path]}>{children}</MemoryRouter>
      </SocketContext.Provider>
    </QueryClientProvider>
  );
  return { queryClient, socket, wrapper };
}

/** A fetch stand-in for GET /api/rooms/:id/messages over a list of stored messages (`topLevel=true` leaves replies out). */
export function historyServer(stored: Message[], rooms: unknown[] = []) {
  const calls: string[] = [];
  const fetchImpl = async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://parley.test');
    if (url.pathname === '/api/rooms') return new Response(JSON.stringify({ rooms }), { status: 200 });
    calls.push(url.pathname + url.search);
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const before = url.searchParams.get('before');
    const after = url.searchParams.get('after');
    const scope = url.searchParams.get('topLevel') === 'true' ? stored.filter((m) => !m.threadRootId) : stored;
    let page;
    if (after !== null) page = scope.filter((m) => m.seq > Number(after)).slice(0, limit);
    else if (before !== null) page = scope.filter((m) => m.seq < Number(before)).slice(-limit);
    else page = scope.slice(-limit);
    return new Response(JSON.stringify({ messages: page }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { calls, fetchImpl };
}
