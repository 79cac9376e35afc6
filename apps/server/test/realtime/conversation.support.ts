/**
 * What the conversation-*.test.ts files (issue 14: edits, deletes, reactions, threads, the change
 * stream) share: rooms of each kind with their members, sending, reading a room's summary, and
 * proving that a request was refused, or changed and broadcast nothing.
 */
import { dmRoomId, type Message, type RoomSummary } from '@parley/protocol';
import { expect } from 'vitest';
import { api, type Client, type TestServer } from '../support/harness.js';

export const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The v2 fields of a top-level message nobody has edited, deleted, reacted to or replied to (rev aside). */
export const UNTOUCHED = { editedAt: null, deleted: false, threadRootId: null, thread: null, reactions: [], mentions: [], files: [] };

/**
 * A room of `owner` that `members` joined (private rooms: invited first). Waits until the owner
 * heard each join, so every socket has had a broadcast to resume from after a dropped transport.
 */
export async function roomOf(owner: Client, visibility: 'public' | 'private', members: Client[] = []): Promise<string> {
  const { room } = await owner.call('room:create', { name: `${visibility} room`, visibility });
  for (const member of members) {
    if (visibility === 'private') await owner.call('room:invite', { roomId: room.id, userId: member.user.id });
    const heard = owner.next('room:member-joined', (e) => e.roomId === room.id && e.user.id === member.user.id);
    await member.call('room:join', { roomId: room.id });
    await heard;
  }
  return room.id;
}

/** The DM of two people. */
export async function dmOf(a: Client, b: Client): Promise<string> {
  const { room } = await a.call('dm:open', { userId: b.user.id });
  expect(room.id).toBe(dmRoomId(a.user.id, b.user.id));
  return room.id;
}

let sent = 0;
/** Sends a message (a thread reply with `threadRootId`) and resolves with the stored message. */
export async function send(from: Client, roomId: string, text: string, threadRootId?: string): Promise<Message> {
  sent += 1;
  const payload = { roomId, clientMsgId: `conv-${sent}`, text, ...(threadRootId ? { threadRootId } : {}) };
  return (await from.call('message:send', payload)).message;
}

/** The room as `viewer` sees it in GET /api/rooms. */
export async function summaryOf(server: TestServer, viewer: Client, roomId: string): Promise<RoomSummary> {
  const { status, body } = await api(server.url, viewer.person.token)('/api/rooms');
  expect(status).toBe(200);
  const room = (body.rooms as RoomSummary[]).find((r) => r.id === roomId);
  if (!room) throw new Error(`${roomId} is not in ${viewer.user.username}'s list`);
  return room;
}

/** One message of a room in its current state, as (socket) history has it. */
export async function current(reader: Client, roomId: string, messageId: string): Promise<Message> {
  const { messages } = await reader.call('message:history', { roomId, limit: 100 });
  const found = messages.find((m) => m.id === messageId);
  if (!found) throw new Error(`${messageId} is not in the newest 100 messages of ${roomId}`);
  return found;
}

/** The message events (created/updated) a client received for a room since `since`, as `event id@rev`. */
export function messageEvents(client: Client, roomId: string, since = 0): string[] {
  return client.events
    .slice(since)
    .filter((e) => (e.event === 'message:created' || e.event === 'message:updated') && e.payload.roomId === roomId)
    .map((e) => `${e.event} ${e.payload.id}@${e.payload.rev}`);
}

/**
 * Proves that nothing about the room reached `watchers` since `since` (the lengths of their event
 * logs, taken before the request): sends a marker and checks that it is the only message event
 * that arrived. Events of a room reach a socket in the order they were broadcast, so anything
 * the request had broadcast would have come first.
 */
export async function expectNothingBroadcast(from: Client, roomId: string, watchers: Client[], since: number[]): Promise<void> {
  const marker = await send(from, roomId, 'marker');
  for (const [i, watcher] of watchers.entries()) {
    await watcher.waitFor('message:created', (m) => m.id === marker.id);
    expect(messageEvents(watcher, roomId, since[i])).toEqual([`message:created ${marker.id}@${marker.rev}`]);
  }
}

/** A room at rest after its newest change: what a refused request, or one answered again, must leave as it was. */
export interface Settled {
  server: TestServer;
  /** The room's newest change, in the state it gave its message. */
  last: Message;
  /** The clients that heard it, and where their event logs ended then. */
  watchers: Client[];
  since: number[];
  /** The room as the first watcher saw it in GET /api/rooms. */
  summary: RoomSummary;
}

/**
 * Waits until each of `watchers` has received `last`, the room's newest change (`event` with its id
 * and rev), so that nothing of it is still on the way, and notes the room as it is then.
 */
export async function settled(
  server: TestServer,
  watchers: Client[],
  event: 'message:created' | 'message:updated',
  last: Message,
): Promise<Settled> {
  for (const client of watchers) await client.waitFor(event, (m) => m.id === last.id && m.rev === last.rev);
  const summary = await summaryOf(server, watchers[0]!, last.roomId);
  expect(summary.lastRev, 'the settled change is the room’s newest').toBe(last.rev);
  return { server, last, watchers, since: watchers.map((c) => c.events.length), summary };
}

/**
 * Proves that nothing changed since the room settled: its newest message is as it was, the room's
 * summary (lastSeq, lastRev, unread, preview) too, and no event about it reached the watchers (the
 * first of them sends the marker, see expectNothingBroadcast).
 */
export async function expectUnchanged({ server, last, watchers, since, summary }: Settled): Promise<void> {
  expect(await current(watchers.at(-1)!, last.roomId, last.id)).toEqual(last);
  expect(await summaryOf(server, watchers[0]!, last.roomId)).toEqual(summary);
  await expectNothingBroadcast(watchers[0]!, last.roomId, watchers, since);
}

export interface RoomWithMessage {
  kind: 'public' | 'private' | 'dm';
  roomId: string;
  /** By the first member, `a`. */
  message: Message;
  /** What message:send answers a signed-in non-member: FORBIDDEN in a public room, NOT_FOUND otherwise. */
  outsiderGets: 'FORBIDDEN' | 'NOT_FOUND';
}

/** A public room, a private room and the DM of `a` and `b`, each with a message by `a`. */
export async function roomsOfEveryKind(a: Client, b: Client): Promise<RoomWithMessage[]> {
  const rooms = [
    { kind: 'public' as const, roomId: await roomOf(a, 'public', [b]), outsiderGets: 'FORBIDDEN' as const },
    { kind: 'private' as const, roomId: await roomOf(a, 'private', [b]), outsiderGets: 'NOT_FOUND' as const },
    { kind: 'dm' as const, roomId: await dmOf(a, b), outsiderGets: 'NOT_FOUND' as const },
  ];
  return Promise.all(rooms.map(async (room) => ({ ...room, message: await send(a, room.roomId, `in the ${room.kind} room`) })));
}

/** The ack of a refused request. */
export const refused = (code: string) => ({ ok: false, error: { code, message: expect.any(String) } });

export interface RefusedAttempts {
  /** A signed-in non-member's requests about the message by `a` in `room`; resolves with their acks. */
  outsider?: (room: RoomWithMessage) => Promise<unknown[]>;
  /** A member's requests about `messageId`, a message `roomId` does not have; resolves with their acks. */
  unknownMessage?: (roomId: string, messageId: string) => Promise<unknown[]>;
}

/**
 * Proves that requests about a message are refused, and change nothing, where there is no such
 * message to the one asking:
 * - `outsider`, in each kind of room `a` shares with `b`: as message:send refuses a non-member,
 *   FORBIDDEN in a public room, NOT_FOUND in a private room or a DM;
 * - `unknownMessage`, in a public room of `a` with `b` in it, for an unknown id and a message of
 *   another room: NOT_FOUND.
 */
export async function expectRefusals(a: Client, b: Client, { outsider, unknownMessage }: RefusedAttempts): Promise<void> {
  if (outsider) {
    for (const room of await roomsOfEveryKind(a, b)) {
      for (const ack of await outsider(room)) expect(ack, room.kind).toEqual(refused(room.outsiderGets));
      expect(await current(a, room.roomId, room.message.id)).toEqual(room.message);
    }
  }
  if (unknownMessage) {
    const roomId = await roomOf(a, 'public', [b]);
    const elsewhere = await send(a, await roomOf(a, 'public', [b]), 'in another room');
    for (const messageId of ['m_does_not_exist', elsewhere.id]) {
      for (const ack of await unknownMessage(roomId, messageId)) expect(ack, messageId).toEqual(refused('NOT_FOUND'));
    }
    expect(await current(a, elsewhere.roomId, elsewhere.id)).toEqual(elsewhere);
  }
}

/**
 * Every kind of change from each writer in turn, all writers at once: sends (every third a thread
 * reply), edits of their own messages, reactions on and off (some changing nothing) on everyone's
 * roots, and a delete.
 */
export async function concurrentChanges(roomId: string, writers: Client[], rounds = 8): Promise<void> {
  const roots = await Promise.all(writers.map((w) => send(w, roomId, `root by ${w.user.username}`)));
  await Promise.all(
    writers.map(async (writer, w) => {
      const emoji = ['👍', '🎉', '🔥', '👀'][w % 4]!;
      for (let i = 0; i < rounds; i++) {
        const mine = await send(writer, roomId, `${writer.user.username} ${i}`, i % 3 === 0 ? roots[i % roots.length]!.id : undefined);
        await writer.call('message:edit', { roomId, messageId: mine.id, text: `${writer.user.username} ${i}, edited` });
        const root = roots[(w + i) % roots.length]!;
        await writer.call('reaction:set', { roomId, messageId: root.id, emoji, on: i % 2 === 0 });
        if (i === 5) await writer.call('message:delete', { roomId, messageId: mine.id });
      }
    }),
  );
}

/**
 * Checks the room's change stream as `members` received it (members since before its first
 * change): the revs of every message:created/updated are exactly 1..N, each once, N the room's
 * lastRev (GET /api/rooms and message:changes), and folding them by rev gives exactly the current
 * state of every message. Returns N.
 */
export async function expectGaplessStream(server: TestServer, roomId: string, members: Client[]): Promise<number> {
  // Whatever was broadcast before the marker has arrived once the marker has.
  const marker = await send(members[0]!, roomId, 'marker');
  for (const client of members) await client.waitFor('message:created', (m) => m.id === marker.id);
  const { lastRev } = await summaryOf(server, members[0]!, roomId);
  expect(lastRev).toBe(marker.rev);
  const changes = await members[0]!.call('message:changes', { roomId, afterRev: 0, limit: 500 });
  expect(changes).toMatchObject({ lastRev, more: false });
  for (const client of members) {
    const seen = client.events
      .filter((e) => (e.event === 'message:created' || e.event === 'message:updated') && e.payload.roomId === roomId)
      .map((e) => e.payload as Message);
    expect(seen.map((m) => m.rev).sort((a, b) => a - b)).toEqual(Array.from({ length: lastRev }, (_, i) => i + 1));
    const latest = new Map<string, Message>();
    for (const message of seen) if ((latest.get(message.id)?.rev ?? 0) < message.rev) latest.set(message.id, message);
    expect([...latest.values()].sort((a, b) => a.rev - b.rev)).toEqual(changes.messages);
  }
  return lastRev;
}
