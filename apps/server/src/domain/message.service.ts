import type { HistoryQuery, Message, User } from '@parley/protocol';
import type { Storage } from '../storage/storage.js';
import { newId } from './ids.js';
import type { RoomService } from './room.service.js';

export class MessageService {
  constructor(
    private readonly storage: Storage,
    private readonly rooms: RoomService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Stores a message with the room's next seq. Resolves only after the commit; `created` is
   * false when this (room, author, clientMsgId) was stored before, and the original comes back.
   */
  async send(author: User, roomId: string, clientMsgId: string, text: string): Promise<{ message: Message; created: boolean }> {
    await this.rooms.assertMember(author.id, roomId);
    return this.storage.messages.append({
      id: newId('m'),
      roomId,
      author: { id: author.id, username: author.username },
      clientMsgId,
      text,
      createdAt: this.now().toISOString(),
    });
  }

  async history(userId: string, roomId: string, query: HistoryQuery): Promise<Message[]> {
    await this.rooms.requireReadable(userId, roomId);
    return this.storage.messages.history(roomId, query);
  }
}
