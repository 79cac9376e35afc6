/**
 * What the parts of the repository suite (storage.contract*.ts) share: the times they write, the
 * helpers that fill the storage under test, and reading a mutation's outcome.
 */
import { expect } from 'vitest';
import { MutationRefusedError } from '../../src/storage/errors.js';
import type { MessageRecord, MutationRefusal, MutationResult, NewMessage, Storage } from '../../src/storage/storage.js';

export const T0 = '2026-01-01T00:00:00.000Z';
export const T1 = '2026-01-01T00:01:00.000Z';
export const T2 = '2026-01-01T00:02:00.000Z';
export const T3 = '2026-01-01T00:03:00.000Z';

type User = { id: string; username: string };
type Room = Awaited<ReturnType<Storage['rooms']['create']>>;

export interface ContractContext {
  /** The storage under test: a new one for each test. */
  storage(): Storage;
  user(username?: string): Promise<User>;
  room(kind: 'public' | 'private' | 'dm', ownerId: string, members?: string[], id?: string): Promise<Room>;
  send(
    roomId: string,
    authorId: string,
    clientMsgId: string,
    text?: string,
    extra?: Partial<Pick<NewMessage, 'threadRootId' | 'createdAt' | 'mentions' | 'fileIds'>>,
  ): ReturnType<Storage['messages']['append']>;
  /** Users `a` and `b`, a public room `r` of `a` with both in it, and another public room `other` of `a`. */
  scene(): Promise<{ a: User; b: User; r: Room; other: Room }>;
}

/** The helpers of a suite whose storage under test is `storage()`. */
export function contractContext(storage: () => Storage): ContractContext {
  let n = 0;
  const usernames = new Map<string, string>();
  const user = async (username = `user${++n}`) => {
    const u = { id: `u_${username}`, username, passwordHash: 'hash', createdAt: T0 };
    await storage().users.create(u);
    usernames.set(u.id, username);
    return u;
  };
  const room: ContractContext['room'] = async (kind, ownerId, members = [ownerId], id = `r_${++n}`) =>
    storage().rooms.create({ id, kind, name: `room ${id}`, ownerId, createdAt: T0 }, members);
  const send: ContractContext['send'] = (roomId, authorId, clientMsgId, text = `text ${clientMsgId}`, extra = {}) =>
    storage().messages.append({
      id: `m_${++n}`,
      roomId,
      author: { id: authorId, username: usernames.get(authorId) ?? 'nobody', displayName: '' },
      clientMsgId,
      text,
      createdAt: T0,
      ...extra,
    });
  const scene = async () => {
    const [a, b] = [await user(), await user()];
    return { a, b, r: await room('public', a.id, [a.id, b.id]), other: await room('public', a.id) };
  };
  return { storage, user, room, send, scene };
}

/** The message of a changed result, failing the test on any other kind. */
export const changed = (result: MutationResult): MessageRecord => {
  if (result.kind !== 'changed') throw new Error(`expected a change, got ${JSON.stringify(result)}`);
  return result.message;
};

/** Expects `pending` to fail with a MutationRefusedError for `reason`. */
export const refusedWith = async (pending: Promise<unknown>, reason: MutationRefusal) => {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MutationRefusedError);
  expect((error as MutationRefusedError).reason).toBe(reason);
};
