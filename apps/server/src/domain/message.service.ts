import { mentionTokens, type Message, type MessageChanges, type MessageVersion, type User } from '@parley/protocol';
import { MutationRefusedError } from '../storage/errors.js';
import { blobKeys } from '../storage/files.js';
import type {
  AppendResult,
  HistoryScope,
  MentionQuery,
  MessageRecord,
  MutationRefusal,
  MutationResult,
  Storage,
} from '../storage/storage.js';
import { AppError, forbidden, invalid, notFound } from './errors.js';
import { newId } from './ids.js';
import { mentionQueryOf, saysRoom } from './mentions.js';
import type { RoomService } from './room.service.js';

/** What a mutation asks the caller to broadcast: the changed message and, for a thread, its root. */
export interface Changed {
  message: Message;
  /** Null when the request changed nothing: nothing was stored, nothing is to be broadcast. */
  changed: Message[] | null;
}

/** The contract's answer to each refusal by what is stored. */
function refusal(reason: MutationRefusal): AppError {
  switch (reason) {
    case 'not-found':
      return notFound('message');
    case 'deleted':
      return new AppError('CONFLICT', 'the message is deleted');
    case 'not-top-level':
      return invalid('threadRootId must be a top-level message: threads are one level deep');
    case 'too-many-reactions':
      return new AppError('CONFLICT', 'a message has at most 20 different reactions');
    case 'files-unavailable':
      return invalid('a file is not yours to send here, was already sent, or was removed');
  }
}

function outcome(result: MutationResult): Changed {
  if (result.kind === 'refused') throw refusal(result.reason);
  if (result.kind === 'unchanged') return { message: result.message, changed: null };
  return { message: result.message, changed: result.root ? [result.message, result.root] : [result.message] };
}

/**
 * Messages and their changes: who may do what (CONTRACT.md v2), then storage, which assigns each
 * change the room's next rev in the change's own transaction. Every method resolves only after
 * the commit; a request that changes nothing stores nothing and answers with the current state.
 */
export class MessageService {
  constructor(
    private readonly storage: Storage,
    private readonly rooms: RoomService,
    private readonly now: () => Date = () => new Date(),
    /** Told when the blobs of a deleted message's files could not be deleted (the orphan sweep will). */
    private readonly blobsLeft: (error: unknown, fileIds: readonly string[]) => void = () => undefined,
  ) {}

  /**
   * Stores a message with the room's next seq and rev. `created` is false when this
   * (room, author, clientMsgId) was stored before, and the original comes back. A thread reply
   * also changes its root (`root`, the next rev). `fileIds`: the author's unsent uploads to this
   * room, sent with it in that order (INVALID when any is not).
   */
  async send(
    author: User,
    roomId: string,
    clientMsgId: string,
    text: string,
    threadRootId?: string,
    fileIds?: readonly string[],
  ): Promise<{ message: Message; created: boolean; root?: Message }> {
    await this.rooms.assertMember(author.id, roomId);
    let result: AppendResult;
    try {
      result = await this.storage.messages.append({
        id: newId('m'),
        roomId,
        author: { id: author.id, username: author.username, displayName: author.displayName },
        clientMsgId,
        text,
        createdAt: this.now().toISOString(),
        threadRootId: threadRootId ?? null,
        mentions: await this.mentionsIn(author.id, roomId, text),
        ...(fileIds && { fileIds }),
      });
    } catch (error) {
      if (error instanceof MutationRefusedError) throw refusal(error.reason);
      throw error;
    }
    return result;
  }

  /** The author only; the same text again changes nothing; a deleted message is a CONFLICT. */
  async edit(editor: User, roomId: string, messageId: string, text: string): Promise<Changed> {
    const message = await this.findAsMember(editor.id, roomId, messageId);
    if (message.author.id !== editor.id) throw forbidden('only the author may edit a message');
    const mentions = message.text === text ? null : await this.mentionsIn(editor.id, roomId, text);
    return outcome(await this.storage.messages.edit({ roomId, messageId, text, editedAt: this.now().toISOString(), mentions }));
  }

  /**
   * The author, or an owner or admin of the room. Deleting a deleted message changes nothing. The
   * message's files go with it: their rows in its transaction, then their bytes (a failure there
   * does not fail the delete: the orphan sweep removes them later).
   */
  async delete(user: User, roomId: string, messageId: string): Promise<Changed> {
    const message = await this.findAsMember(user.id, roomId, messageId);
    if (message.author.id !== user.id) {
      const summary = await this.rooms.summary(roomId, user.id);
      if (summary.role !== 'owner' && summary.role !== 'admin')
        throw forbidden('only the author or an owner or admin may delete a message');
    }
    const result = await this.storage.messages.delete({ roomId, messageId });
    const removed = result.kind === 'changed' ? (result.removedFileIds ?? []) : [];
    if (removed.length > 0) {
      await this.storage.blobs.delete(removed.flatMap((id) => blobKeys(id))).catch((error: unknown) => this.blobsLeft(error, removed));
    }
    return outcome(result);
  }

  /** Any member adds (on) or removes their own reaction. */
  async react(user: User, roomId: string, messageId: string, emoji: string, on: boolean): Promise<Changed> {
    await this.rooms.assertMember(user.id, roomId);
    return outcome(await this.storage.messages.setReaction({ roomId, messageId, userId: user.id, emoji, on }));
  }

  /** Earlier texts oldest first, the current one last; [] once deleted. Any member. */
  async versions(userId: string, roomId: string, messageId: string): Promise<MessageVersion[]> {
    await this.findAsMember(userId, roomId, messageId);
    return this.storage.messages.versions(roomId, messageId);
  }

  /** Every message changed after `afterRev`, in its current state, ascending by rev. Whoever may read the room. */
  async changes(userId: string, roomId: string, afterRev: number, limit: number): Promise<MessageChanges> {
    await this.rooms.requireReadable(userId, roomId);
    return this.storage.messages.changes(roomId, afterRev, limit);
  }

  async history(userId: string, roomId: string, query: HistoryScope): Promise<Message[]> {
    await this.rooms.requireReadable(userId, roomId);
    if (query.threadRootId !== undefined) await this.requireRoot(roomId, query.threadRootId);
    return this.storage.messages.history(roomId, query);
  }

  /** My read marker in a thread of a room I am a member of; only moves forward. */
  async markThreadRead(userId: string, roomId: string, threadRootId: string, seq: number): Promise<void> {
    await this.rooms.assertMember(userId, roomId);
    await this.requireRoot(roomId, threadRootId);
    await this.storage.messages.markThreadRead(roomId, threadRootId, userId, seq);
  }

  /**
   * Who the text mentions (members are resolved by storage in the write's transaction); `@room`
   * only from an owner or admin, whose role is looked up only when the text says it.
   */
  private async mentionsIn(authorId: string, roomId: string, text: string): Promise<MentionQuery | null> {
    const tokens = mentionTokens(text);
    if (tokens.length === 0) return null;
    let mayMentionRoom = false;
    if (saysRoom(tokens)) {
      const role = (await this.storage.rooms.findMembership(roomId, authorId))?.role;
      mayMentionRoom = role === 'owner' || role === 'admin';
    }
    return mentionQueryOf(tokens, mayMentionRoom);
  }

  /** The message, for a member of its room: NOT_FOUND or FORBIDDEN for a non-member exactly as message:send. */
  private async findAsMember(userId: string, roomId: string, messageId: string): Promise<MessageRecord> {
    await this.rooms.assertMember(userId, roomId);
    const message = await this.storage.messages.find(roomId, messageId);
    if (!message) throw notFound('message');
    return message;
  }

  /** A thread root: a top-level message of this room. */
  private async requireRoot(roomId: string, threadRootId: string): Promise<void> {
    const root = await this.storage.messages.find(roomId, threadRootId);
    if (!root) throw notFound('message');
    if (root.threadRootId !== null) throw invalid('threadRootId must be a top-level message: threads are one level deep');
  }
}
