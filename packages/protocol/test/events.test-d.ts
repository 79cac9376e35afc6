import { describe, expectTypeOf, it } from 'vitest';
import type { Ack, ErrorCode, ClientToServerEvents, Message, Room, RoomSummary, ServerToClientEvents, User } from '../src/index.js';

type AckOf<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

describe('Socket.IO generics derived from the schemas', () => {
  it('types payloads from the schemas', () => {
    expectTypeOf<Parameters<ClientToServerEvents['message:send']>[0]>().toEqualTypeOf<{
      roomId: string;
      clientMsgId: string;
      text: string;
      threadRootId?: string | undefined;
      fileIds?: string[] | undefined;
    }>();
    expectTypeOf<Parameters<ClientToServerEvents['room:create']>[0]>().toEqualTypeOf<{
      name: string;
      visibility: 'public' | 'private';
    }>();
  });

  it('types acks as Ack<result>', () => {
    expectTypeOf<AckOf<'message:send'>>().toEqualTypeOf<Ack<{ message: Message }>>();
    expectTypeOf<AckOf<'room:join'>>().toEqualTypeOf<Ack<{ room: Room }>>();
    expectTypeOf<AckOf<'message:history'>>().toEqualTypeOf<Ack<{ messages: Message[] }>>();
  });

  it('types server events', () => {
    expectTypeOf<Parameters<ServerToClientEvents['message:created']>[0]>().toEqualTypeOf<Message>();
    expectTypeOf<Parameters<ServerToClientEvents['message:updated']>[0]>().toEqualTypeOf<Message>();
    expectTypeOf<AckOf<'message:changes'>>().toEqualTypeOf<Ack<{ messages: Message[]; lastRev: number; more: boolean }>>();
    expectTypeOf<AckOf<'message:versions'>>().toEqualTypeOf<Ack<{ versions: { text: string; editedAt: string }[] }>>();
    expectTypeOf<Parameters<ServerToClientEvents['room:joined']>[0]>().toEqualTypeOf<{ room: RoomSummary }>();
    expectTypeOf<Parameters<ServerToClientEvents['room:member-joined']>[0]>().toEqualTypeOf<{
      roomId: string;
      user: User;
    }>();
  });

  it('matches the contract shapes', () => {
    expectTypeOf<Room>().toEqualTypeOf<{
      id: string;
      kind: 'public' | 'private' | 'dm';
      name: string;
      memberCount: number;
      lastSeq: number;
      lastRev: number;
      topic: string;
    }>();
    expectTypeOf<Message>().toEqualTypeOf<{
      id: string;
      roomId: string;
      seq: number;
      author: User;
      text: string;
      clientMsgId: string;
      createdAt: string;
      rev: number;
      editedAt: string | null;
      deleted: boolean;
      threadRootId: string | null;
      thread: { replyCount: number; lastReplyAt: string | null; lastReplySeq: number | null } | null;
      reactions: { emoji: string; userIds: string[] }[];
      mentions: string[];
      files: { id: string; name: string; size: number; type: string; width: number | null; height: number | null }[];
    }>();
    expectTypeOf<User>().toEqualTypeOf<{ id: string; username: string; displayName: string }>();
    expectTypeOf<RoomSummary>().toMatchTypeOf<{ mentions: number; threadsUnread: number; role: 'owner' | 'admin' | 'member' | null }>();
    expectTypeOf<RoomSummary>().toMatchTypeOf<Room & { joined: boolean; unread: number }>();
  });

  it('narrows Ack on ok', () => {
    const ack = {} as Ack<{ n: number }>;
    if (ack.ok) expectTypeOf(ack.data).toEqualTypeOf<{ n: number }>();
    else expectTypeOf(ack.error.code).toEqualTypeOf<ErrorCode>();
  });
});
