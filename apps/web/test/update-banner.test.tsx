import { act, render, renderHook, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PROTOCOL_VERSION } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppSocket } from './support/fake-socket';
import { setup } from './support/render';

const lifecycleSocket = new AppSocket();
vi.mock('../src/lib/socket', async (original) => ({
  ...(await original<typeof import('../src/lib/socket')>()),
  createSocket: () => lifecycleSocket,
}));
const { UpdateBanner } = await import('../src/app/update-banner');
const { useSocketLifecycle } = await import('../src/app/use-socket-lifecycle');
const realSocketModule = await vi.importActual<typeof import('../src/lib/socket')>('../src/lib/socket');

const NEW_VERSION = 'A new version of Parley is available';

/** This page's build, as index.html's parley-build meta says it. */
function pageBuildIs(build: string) {
  const meta = document.createElement('meta');
  meta.name = 'parley-build';
  meta.content = build;
  document.head.append(meta);
}

afterEach(() => {
  document.head.querySelectorAll('meta[name="parley-build"]').forEach((meta) => meta.remove());
  vi.restoreAllMocks();
});

function renderBanner() {
  const { socket, wrapper } = setup();
  render(<UpdateBanner />, { wrapper });
  return socket;
}

describe('the update banner', () => {
  beforeEach(() => pageBuildIs('build-today'));

  it('stays empty while the server serves this build, or none', () => {
    const socket = renderBanner();
    act(() => socket.serverEmit('server:info', { protocol: 2, build: 'build-today' }));
    act(() => socket.serverEmit('server:info', { protocol: 2, build: null }));
    expect(screen.getByRole('status')).toHaveTextContent('');
    expect(screen.queryByRole('button', { name: 'Reload' })).toBeNull();
  });

  it('offers a reload when the server serves another build, and the button reloads the page', async () => {
    const reload = vi.fn();
    vi.spyOn(window, 'location', 'get').mockReturnValue({ ...window.location, reload });
    const socket = renderBanner();
    act(() => socket.serverEmit('server:info', { protocol: 2, build: 'build-tomorrow' }));
    expect(screen.getByRole('status')).toHaveTextContent(NEW_VERSION);
    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('hides again when a later connection finds this build back (a rolled-back deploy)', () => {
    const socket = renderBanner();
    act(() => socket.serverEmit('server:info', { protocol: 2, build: 'build-tomorrow' }));
    expect(screen.getByRole('status')).toHaveTextContent(NEW_VERSION);
    act(() => socket.serverEmit('server:info', { protocol: 2, build: 'build-today' }));
    expect(screen.getByRole('status')).toHaveTextContent('');
  });

  it('offers a reload when the server no longer speaks this page protocol, not on other refusals', () => {
    const socket = renderBanner();
    act(() => socket.serverEmit('connect_error', new Error('RATE_LIMITED')));
    act(() => socket.serverEmit('connect_error', new Error('UNAVAILABLE')));
    expect(screen.getByRole('status')).toHaveTextContent('');
    act(() => socket.serverEmit('connect_error', new Error('UNSUPPORTED_PROTOCOL')));
    expect(screen.getByRole('status')).toHaveTextContent(NEW_VERSION);
    expect(screen.getByRole('button', { name: 'Reload' })).toBeVisible();
  });
});

describe('a page under vite serve (build "dev")', () => {
  it('is never told of another build: Vite reloads it itself', () => {
    pageBuildIs('dev');
    const socket = renderBanner();
    act(() => socket.serverEmit('server:info', { protocol: 2, build: 'a1b2c3d4e5f6' }));
    expect(screen.getByRole('status')).toHaveTextContent('');
  });
});

describe('the handshake', () => {
  it('says the protocol version and this page build', () => {
    pageBuildIs('build-today');
    const socket = realSocketModule.createSocket('http://parley.test');
    expect(socket.auth).toEqual({ protocol: PROTOCOL_VERSION, build: 'build-today' });
  });

  it('says the protocol version alone when the page has no build', () => {
    const socket = realSocketModule.createSocket('http://parley.test');
    expect(socket.auth).toEqual({ protocol: PROTOCOL_VERSION });
  });

  it('stops trying to connect once the server refuses the protocol (only a reload helps)', () => {
    vi.useFakeTimers();
    try {
      const { wrapper } = setup();
      renderHook(() => useSocketLifecycle(), { wrapper });
      const connects = lifecycleSocket.connects;
      act(() => lifecycleSocket.serverEmit('connect_error', new Error('UNSUPPORTED_PROTOCOL')));
      act(() => vi.advanceTimersByTime(60_000));
      expect(lifecycleSocket.connects).toBe(connects);
      expect(lifecycleSocket.disconnects).toBeGreaterThan(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
