import { act, render, renderHook, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { RoomSummary } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { titleFor } from '../src/features/rooms/attention';
import { NotificationsSwitch } from '../src/features/rooms/components/notifications-switch';
import { RoomActions } from '../src/features/rooms/components/room-actions';
import { RoomList } from '../src/features/rooms/components/room-list';
import { useAttention } from '../src/features/rooms/hooks/use-attention';
import { useRoomEvents } from '../src/features/rooms/hooks/use-room-events';
import { useNotificationsStore } from '../src/features/rooms/notifications.store';
import { useActiveRoomStore } from '../src/lib/active-room.store';
import { useConnectionStore } from '../src/lib/connection.store';
import { sharedKeys } from '../src/lib/query-keys';
import { BOB, ME, message, roomSummary } from './support/fixtures';
import { setup } from './support/render';

const general = (overrides: Partial<RoomSummary> = {}) => roomSummary({ id: 'r_1', name: 'general', lastSeq: 1, ...overrides });
const dm = (overrides: Partial<RoomSummary> = {}) =>
  roomSummary({ id: `dm:${BOB.id}:${ME.id}`, kind: 'dm', name: 'bob', lastSeq: 1, ...overrides });

/** A Notification stand-in that records what was shown; `permission` as the test sets it. */
class FakeNotification {
  static permission: NotificationPermission = 'default';
  static shown: FakeNotification[] = [];
  static requestPermission = vi.fn(async () => FakeNotification.permission);
  onclick: (() => void) | null = null;
  close = vi.fn();
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this);
  }
}

let hidden = false;
beforeEach(() => {
  FakeNotification.permission = 'default';
  FakeNotification.shown = [];
  FakeNotification.requestPermission.mockClear();
  vi.stubGlobal('Notification', FakeNotification);
  hidden = false;
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => (hidden ? 'hidden' : 'visible'));
  useNotificationsStore.setState({ enabled: false });
  useActiveRoomStore.setState({ roomId: null, readingLive: false });
  useConnectionStore.setState({ status: 'connected', generation: 0 });
  document.title = 'Parley';
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** The room events and the attention hook over a room list, as the signed-in app mounts them. */
function renderAttention(rooms: RoomSummary[]) {
  const ctx = setup();
  ctx.queryClient.setQueryData(sharedKeys.rooms, rooms);
  const openRoom = vi.fn();
  renderHook(
    () => {
      useRoomEvents(ME);
      useAttention(ME, openRoom);
    },
    { wrapper: ctx.wrapper },
  );
  const rooms_ = () => ctx.queryClient.getQueryData<RoomSummary[]>(sharedKeys.rooms)!;
  return { ...ctx, openRoom, rooms: rooms_ };
}

describe('the title', () => {
  it('counts unread mentions, and every unread DM message, muted rooms too, not rooms I left', () => {
    expect(titleFor([])).toBe('Parley');
    expect(
      titleFor([
        general({ unread: 5, mentions: 1 }),
        dm({ unread: 2 }),
        general({ id: 'r_2', unread: 3, mentions: 1, muted: true }),
        general({ id: 'r_3', joined: false, unread: 4, mentions: 4 }),
        general({ id: 'r_4', unread: 9 }),
      ]),
    ).toBe('(4) Parley');
  });

  it('follows new mentions and DM messages live, and drops when the room is read', async () => {
    const { socket, rooms, queryClient } = renderAttention([general(), dm()]);
    await waitFor(() => expect(document.title).toBe('Parley'));
    act(() => socket.serverEmit('message:created', message(2, { text: 'hi @me', mentions: [ME.id] })));
    expect(rooms()[0]).toMatchObject({ unread: 1, mentions: 1 });
    await waitFor(() => expect(document.title).toBe('(1) Parley'));
    act(() => socket.serverEmit('message:created', message(3, { text: 'no mention' })));
    act(() => socket.serverEmit('message:created', message(2, { roomId: dm().id, text: 'psst' })));
    await waitFor(() => expect(document.title).toBe('(2) Parley'));
    // My own mention of myself, and a message in the room I am reading live, count for nothing.
    act(() => socket.serverEmit('message:created', message(4, { author: ME, mentions: [ME.id] })));
    act(() => useActiveRoomStore.setState({ roomId: 'r_1', readingLive: true }));
    act(() => socket.serverEmit('message:created', message(5, { mentions: [ME.id] })));
    expect(rooms()[0]).toMatchObject({ unread: 2, mentions: 1 });
    act(() => queryClient.setQueryData<RoomSummary[]>(sharedKeys.rooms, (list) => list!.map((r) => ({ ...r, unread: 0, mentions: 0 }))));
    await waitFor(() => expect(document.title).toBe('Parley'));
  });

  it("asks the server's count again when an unread message is edited to mention me, not for a read one", async () => {
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
      fetched.push(String(input));
      const rooms = [general({ lastSeq: 3, unread: 2, mentions: 1 })];
      return new Response(JSON.stringify({ rooms }), { status: 200, headers: { 'content-type': 'application/json' } });
    });
    const { socket, rooms } = renderAttention([general({ lastSeq: 3, unread: 2 })]);
    act(() => socket.serverEmit('message:updated', message(1, { rev: 4, mentions: [ME.id] })));
    act(() => socket.serverEmit('message:updated', message(3, { rev: 5, reactions: [{ emoji: '👍', userIds: [BOB.id] }] })));
    expect(fetched).toEqual([]);
    act(() => socket.serverEmit('message:updated', message(2, { rev: 6, text: 'now @me', mentions: [ME.id] })));
    await waitFor(() => expect(rooms()[0]!.mentions).toBe(1));
    expect(fetched.filter((url) => url.endsWith('/api/rooms'))).toHaveLength(1);
    await waitFor(() => expect(document.title).toBe('(1) Parley'));
  });
});

describe('desktop notifications', () => {
  const mention = (seq: number, roomId = 'r_1') => message(seq, { roomId, text: `hey @me number ${seq}`, mentions: [ME.id] });

  it('show a DM or a mention while the tab is hidden, once switched on; a click opens the room', async () => {
    FakeNotification.permission = 'granted';
    const { socket, openRoom } = renderAttention([general(), dm(), general({ id: 'r_muted', muted: true })]);
    hidden = true;
    act(() => socket.serverEmit('message:created', mention(2)));
    expect(FakeNotification.shown).toEqual([]); // the switch is off
    useNotificationsStore.setState({ enabled: true });
    act(() => socket.serverEmit('message:created', mention(3)));
    act(() => socket.serverEmit('message:created', message(4, { text: 'plain' })));
    act(() => socket.serverEmit('message:created', message(2, { roomId: dm().id, text: 'psst' })));
    act(() => socket.serverEmit('message:created', mention(2, 'r_muted')));
    act(() => socket.serverEmit('message:created', message(5, { author: ME, mentions: [ME.id] })));
    expect(FakeNotification.shown.map((n) => [n.title, n.options.body, n.options.tag])).toEqual([
      ['bob in general', 'hey @me number 3', 'r_1'],
      ['bob', 'psst', dm().id],
    ]);
    act(() => FakeNotification.shown[1]!.onclick!());
    expect(openRoom).toHaveBeenCalledWith(dm().id);
    expect(FakeNotification.shown[1]!.close).toHaveBeenCalled();
    // With the tab visible, the page itself shows it.
    hidden = false;
    act(() => socket.serverEmit('message:created', mention(6)));
    expect(FakeNotification.shown).toHaveLength(2);
  });

  it('are asked for from the switch, never on load; a refusal says so and leaves it off', async () => {
    const ctx = setup();
    render(<NotificationsSwitch />, { wrapper: ctx.wrapper });
    const toggle = screen.getByRole('switch', { name: 'Desktop notifications' });
    expect(toggle).toHaveAttribute('aria-checked', 'false');
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();

    FakeNotification.permission = 'denied';
    await userEvent.click(toggle);
    expect(FakeNotification.requestPermission).toHaveBeenCalledTimes(1);
    expect(toggle).toHaveAttribute('aria-checked', 'false');
    expect(screen.getByRole('status')).toHaveTextContent('Notifications are blocked');

    FakeNotification.permission = 'granted';
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-checked', 'true');
    expect(useNotificationsStore.getState().enabled).toBe(true);
    expect(screen.getByRole('status')).toHaveTextContent('');
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-checked', 'false');
  });
});

describe('badges and Mute', () => {
  it('show `N mentions` beside the unread count, greyed in a muted room that still counts them', () => {
    const ctx = setup();
    ctx.queryClient.setQueryData(sharedKeys.rooms, [
      general({ unread: 5, mentions: 2 }),
      general({ id: 'r_2', name: 'quiet', unread: 3, mentions: 1, muted: true }),
    ]);
    render(<RoomList me={ME} />, { wrapper: ctx.wrapper });
    const entry = (name: string) => screen.getByRole('link', { name }).closest('li')!;
    expect(within(entry('general')).getByRole('img', { name: '2 mentions' })).toHaveTextContent('@2');
    expect(within(entry('general')).getByRole('img', { name: '5 unread messages' })).toBeInTheDocument();
    expect(within(entry('quiet')).getByRole('img', { name: '1 mention' })).toBeInTheDocument();
    expect(entry('quiet')).toHaveClass('room-entry--muted');
    expect(screen.getByRole('link', { name: 'quiet' })).toHaveAccessibleDescription(/Muted/);
    expect(entry('general')).not.toHaveClass('room-entry--muted');
  });

  it('Mute is a toggle stored on the server; my other devices follow through room:muted', async () => {
    const ctx = setup();
    ctx.queryClient.setQueryData(sharedKeys.rooms, [general()]);
    ctx.socket.respond('room:mute', () => ({ ok: true, data: {} }));
    function Header() {
      useRoomEvents(ME);
      const room = ctx.queryClient.getQueryData<RoomSummary[]>(sharedKeys.rooms)![0]!;
      return <RoomActions room={room} meId={ME.id} />;
    }
    const { rerender } = render(<Header />, { wrapper: ctx.wrapper });
    const mute = screen.getByRole('button', { name: 'Mute' });
    expect(mute).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(mute);
    expect(ctx.socket.requests.filter((r) => r.event === 'room:mute').map((r) => r.payload)).toEqual([{ roomId: 'r_1', muted: true }]);
    rerender(<Header />);
    expect(screen.getByRole('button', { name: 'Mute' })).toHaveAttribute('aria-pressed', 'true');
    act(() => ctx.socket.serverEmit('room:muted', { roomId: 'r_1', muted: false }));
    rerender(<Header />);
    expect(screen.getByRole('button', { name: 'Mute' })).toHaveAttribute('aria-pressed', 'false');
  });
});
