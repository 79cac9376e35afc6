import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router';
import { VirtuosoMockContext } from 'react-virtuoso';
import type { Message, RoomMember, RoomSummary, User } from '@parley/protocol';
import { vi } from 'vitest';
import { RoomRoute, type HomeState } from '../../src/app/room-route';
import { useRoomChanges } from '../../src/features/rooms/hooks/use-room-changes';
import { useRoomEvents } from '../../src/features/rooms/hooks/use-room-events';
import { sharedKeys } from '../../src/lib/query-keys';
import type { FakeSocket } from './fake-socket';
import { ME } from './fixtures';
import { historyServer, setup } from './render';

/** A user named `username` (id `u_<username>`), with a display name when given. */
export const person = (username: string, displayName = ''): User => ({ id: `u_${username}`, username, displayName });

/** A member as `room:members` answers. */
export const member = (user: User, role: RoomMember['role'] = 'member', online = false): RoomMember => ({ user, role, online });

/** Plays the server's `room:members` over a list sorted by username, keyset by `after`. */
export function serveMembers(socket: FakeSocket, all: RoomMember[]) {
  socket.respond('room:members', ({ after, limit = 100 }) => ({
    ok: true,
    data: { members: all.filter((m) => after === undefined || m.user.username > after).slice(0, limit) },
  }));
}

/** What the signed-in layout runs for rooms: the room list's events and the room changes. */
function RoomsRuntime() {
  useRoomEvents(ME);
  useRoomChanges(ME.id);
  return null;
}

/** The home page, saying what it was sent here to say. */
function Home() {
  const notice = (useLocation().state as HomeState | null)?.notice;
  return (
    <>
      <h1>Home</h1>
      {notice && <p role="status">{notice}</p>}
    </>
  );
}

/** The room page at /rooms/<room.id> as me (and home at /), with `members` answering `room:members`. */
export function renderRoom(
  room: RoomSummary,
  members: RoomMember[],
  { rooms = [room], messages = [] }: { rooms?: RoomSummary[]; messages?: Message[] } = {},
) {
  const ctx = setup({ path: `/rooms/${room.id}` });
  ctx.queryClient.setQueryData(sharedKeys.me, ME);
  ctx.queryClient.setQueryData(sharedKeys.rooms, rooms);
  vi.stubGlobal('fetch', historyServer(messages, rooms).fetchImpl);
  serveMembers(ctx.socket, members);
  const { unmount } = render(
    <VirtuosoMockContext.Provider value={{ viewportHeight: 600, itemHeight: 50 }}>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/rooms/:roomId" element={<RoomRoute me={ME} />} />
      </Routes>
      <RoomsRuntime />
    </VirtuosoMockContext.Provider>,
    { wrapper: ctx.wrapper },
  );
  const requests = (event: string) => ctx.socket.requests.filter((r) => r.event === event).map((r) => r.payload);
  const roomList = () => ctx.queryClient.getQueryData<RoomSummary[]>(sharedKeys.rooms)!;
  return { ...ctx, requests, roomList, unmount };
}

/** Opens the Members panel and waits for its first page. */
export async function openMembers(): Promise<HTMLElement> {
  await userEvent.click(await screen.findByRole('button', { name: 'Members' }));
  const panel = screen.getByRole('complementary', { name: 'Members' });
  await within(panel).findAllByRole('listitem');
  return panel;
}

/** A member's row in the panel, found by the name shown. */
export const row = (panel: HTMLElement, name: string) =>
  within(panel)
    .getAllByRole('listitem')
    .find((item) => item.querySelector('.member__name')?.textContent === name)!;

/** The action buttons a member's row offers, in order. */
export const buttonsOf = (item: HTMLElement | undefined) =>
  item
    ? within(item)
        .queryAllByRole('button')
        .map((b) => b.textContent)
    : [];
