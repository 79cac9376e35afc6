// The change stream: message states applied to the windows and told to listeners, and the message:changes catch-up.
import type { QueryClient } from '@tanstack/react-query';
import { LIMITS, type Message, type RoomSummary } from '@parley/protocol';
import { findRoom } from '../../../lib/rooms-cache';
import { request, type ParleySocket } from '../../../lib/socket';
import { useChatStore } from '../chat.store';
import { tellMessageChange } from './change-listeners';
import { applyToWindow, type RoomMessages } from './message-window';
import { messageKeys, readerHoldsPlace } from './messages.api';

/** Changes asked for per `message:changes` request while catching up. */
export const CHANGES_PAGE = LIMITS.changesLimitMax;
/** Catch-up rounds per call at most, each while a gap remains (a later gap starts another call). */
const MAX_CATCH_UP_ROUNDS = 10;

/** Applies message states to their rooms' main windows (where held) and tells the change listeners. */
export function applyMessages(queryClient: QueryClient, incoming: readonly Message[]): void {
  const byRoom = new Map<string, Message[]>();
  for (const message of incoming) byRoom.set(message.roomId, [...(byRoom.get(message.roomId) ?? []), message]);
  for (const [roomId, messages] of byRoom) {
    queryClient.setQueryData<RoomMessages>(messageKeys.room(roomId), (data) =>
      data ? applyToWindow(data, messages, { keepOldest: readerHoldsPlace(roomId) }) : data,
    );
  }
  for (const message of incoming) tellMessageChange(message);
}

/** One message state (an event, an ack): see applyMessages. */
export function applyMessage(queryClient: QueryClient, message: Message): void {
  applyMessages(queryClient, [message]);
}

const catchingUp = new Map<string, Promise<void>>();
const queuedCatchUps = new Map<string, Promise<void>>();

/**
 * Brings a room up to date from its change stream: `message:changes` after the room's lastRev, page
 * by page while `more`, applying each message (see applyToWindow) and moving lastRev to each answer's;
 * again while changes seen live are still ahead of a gap. One catch-up per room at a time: calls
 * during one share one more catch-up after it.
 */
export function catchUpChanges(socket: ParleySocket, queryClient: QueryClient, roomId: string): Promise<void> {
  const running = catchingUp.get(roomId);
  if (running) {
    let queued = queuedCatchUps.get(roomId);
    if (!queued) {
      queued = running
        .catch(() => undefined)
        .then(() => {
          queuedCatchUps.delete(roomId);
          return catchUpChanges(socket, queryClient, roomId);
        });
      queuedCatchUps.set(roomId, queued);
    }
    return queued;
  }
  const run = runCatchUp(socket, queryClient, roomId).finally(() => catchingUp.delete(roomId));
  catchingUp.set(roomId, run);
  return run;
}

async function runCatchUp(socket: ParleySocket, queryClient: QueryClient, roomId: string): Promise<void> {
  const chat = () => useChatStore.getState();
  if (!chat().revs[roomId]) {
    const known = findRoom(queryClient, roomId)?.lastRev;
    if (known === undefined) return;
    chat().initRev(roomId, known);
  }
  for (let round = 0; round < MAX_CATCH_UP_ROUNDS; round++) {
    let afterRev = chat().revs[roomId]?.lastRev ?? 0;
    let more = true;
    while (more) {
      const answer = await request(socket, 'message:changes', { roomId, afterRev, limit: CHANGES_PAGE });
      applyMessages(queryClient, answer.messages);
      chat().caughtUp(roomId, answer.lastRev);
      more = answer.more && answer.lastRev > afterRev;
      afterRev = answer.lastRev;
    }
    if ((chat().revs[roomId]?.ahead.length ?? 0) === 0) return;
  }
}

/**
 * Where each joined room's change stream starts, for a room not followed yet: its lastRev in the
 * room list. A room whose window is held (read before it was joined, when no change reached this
 * client) starts no later than the newest state it holds, and is returned: it needs a catch-up. A
 * followed room whose window is not held moves forward to the list's lastRev (nothing it missed is
 * held); a held one keeps its own, so a catch-up still fetches what it missed. Rooms left are forgotten.
 */
export function syncRevsFromRooms(queryClient: QueryClient, rooms: readonly RoomSummary[]): string[] {
  const chat = useChatStore.getState();
  const toCatchUp: string[] = [];
  for (const room of rooms) {
    if (!room.joined) {
      chat.forgetRev(room.id);
      continue;
    }
    const held = queryClient.getQueryData<RoomMessages>(messageKeys.room(room.id));
    if (!held || chat.revs[room.id]) {
      chat.initRev(room.id, room.lastRev, !held);
      continue;
    }
    const newestHeld = held.messages.reduce((max, m) => Math.max(max, m.rev), 0);
    chat.initRev(room.id, Math.min(room.lastRev, newestHeld));
    if (newestHeld < room.lastRev) toCatchUp.push(room.id);
  }
  return toCatchUp;
}
