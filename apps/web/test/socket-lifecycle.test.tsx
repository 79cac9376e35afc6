import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useConnectionStore } from '../src/lib/connection.store';
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
  removeAllListeners() {
    return this;
  }
}

const socket = new LifecycleSocket();
vi.mock('../src/lib/socket', async (original) => ({
  ...(await original<typeof import('../src/lib/socket')>()),
  createSocket: () => socket,
}));
const { useSocketLifecycle } = await import('../src/app/use-socket-lifecycle');

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the socket lifecycle', () => {
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
