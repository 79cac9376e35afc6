import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/lib/api';
import { useConnectionStore } from '../src/lib/connection.store';
import { sharedKeys } from '../src/lib/query-keys';
import { ME } from './support/fixtures';
import { FakeSocket } from './support/fake-socket';
import { setup } from './support/render';

/** The fake socket, plus what the lifecycle uses of a real one. */
class LifecycleSocket extends FakeSocket {
  active = false;
  recovered = false;
  connects = 0;
  connect() {
    this.connects += 1;
    return this;
  }
  disconnect() {
    return this;
  }
}

const socket = new LifecycleSocket();
vi.mock('../src/lib/socket', async (original) => ({
  ...(await original<typeof import('../src/lib/socket')>()),
  createSocket: () => socket,
}));
const { useSocketLifecycle } = await import('../src/app/use-socket-lifecycle');

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** GET /api/auth/session answers `user`. */
const sessionIs = (user: typeof ME | null) =>
  vi.stubGlobal(
    'fetch',
    async () => new Response(JSON.stringify({ user }), { status: 200, headers: { 'content-type': 'application/json' } }),
  );

describe('a session the server ended', () => {
  beforeEach(() => {
    socket.connects = 0;
  });

  it('shows the sign-in page when the server closed the socket and the session is gone (a password changed elsewhere)', async () => {
    sessionIs(null);
    const { wrapper, queryClient } = setup();
    queryClient.setQueryData(sharedKeys.me, ME);
    queryClient.setQueryData(sharedKeys.rooms, []);
    renderHook(() => useSocketLifecycle(), { wrapper });
    act(() => socket.serverEmit('disconnect', 'io server disconnect'));
    await waitFor(() => expect(queryClient.getQueryData(sharedKeys.me)).toBeNull());
    expect(queryClient.getQueryData(sharedKeys.rooms)).toBeUndefined();
    // Not reconnected: there is no session to connect with.
    expect(socket.connects).toBe(1);
  });

  it('reconnects when the session is still alive', async () => {
    sessionIs(ME);
    const { wrapper, queryClient } = setup();
    queryClient.setQueryData(sharedKeys.me, ME);
    renderHook(() => useSocketLifecycle(), { wrapper });
    act(() => socket.serverEmit('disconnect', 'io server disconnect'));
    await waitFor(() => expect(socket.connects).toBe(2));
    expect(queryClient.getQueryData(sharedKeys.me)).toEqual(ME);
  });

  it('signs out when a handshake is refused, and on a 401 from any call', async () => {
    const { wrapper, queryClient } = setup();
    queryClient.setQueryData(sharedKeys.me, ME);
    renderHook(() => useSocketLifecycle(), { wrapper });
    act(() => socket.serverEmit('connect_error', new Error('UNAUTHORIZED')));
    expect(queryClient.getQueryData(sharedKeys.me)).toBeNull();

    queryClient.setQueryData(sharedKeys.me, ME);
    await queryClient
      .fetchQuery({
        queryKey: ['anything'],
        queryFn: () => Promise.reject(new ApiError(401, 'UNAUTHORIZED', 'not signed in')),
      })
      .catch(() => undefined);
    expect(queryClient.getQueryData(sharedKeys.me)).toBeNull();
  });
});

describe('the socket lifecycle', () => {
  beforeEach(() => {
    socket.connects = 0;
    vi.useFakeTimers();
  });

  it('tries again later when the server refuses the connection, which Socket.IO does not retry', () => {
    const { wrapper } = setup();
    renderHook(() => useSocketLifecycle(), { wrapper });
    expect(socket.connects).toBe(1);

    act(() =>
      socket.serverEmit(
        'connect_error',
        Object.assign(new Error('RATE_LIMITED'), { data: { message: 'too many connections for this user (20)' } }),
      ),
    );
    expect(useConnectionStore.getState().status).toBe('reconnecting');
    act(() => vi.advanceTimersByTime(5_000));
    expect(socket.connects).toBe(2);

    // A network failure is Socket.IO's to retry (the socket stays active): no second attempt from us.
    socket.active = true;
    act(() => socket.serverEmit('connect_error', new Error('websocket error')));
    act(() => vi.advanceTimersByTime(60_000));
    expect(socket.connects).toBe(2);
  });
});
