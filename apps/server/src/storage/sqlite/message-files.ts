import type { MessageFile } from '@parley/protocol';
import { MutationRefusedError } from '../errors.js';
import { toMessageFile, type FileRow } from '../file-rows.js';
import { filesInOrder } from '../message-rules.js';
import type { NewMessage } from '../storage.js';
import type { Db } from './db.js';

type FileColumns = Pick<FileRow, 'id' | 'name' | 'type' | 'size' | 'width' | 'height'>;

/** The rows of a deleted message's files, through the partial index files_message_id. */
export const REMOVE_FILES_SQL = 'DELETE FROM files WHERE message_id = ? RETURNING id';

/**
 * The files of a message (issue 17), inside append's and delete's savepoints: SQLite has one
 * writer, so what `claimable` reads is still so when `claim` writes it.
 */
export function createSqliteMessageFiles(db: Db) {
  const claimable = db.prepare<{ ids: string; roomId: string; authorId: string }, FileColumns>(
    `SELECT id, name, type, size, width, height FROM files
      WHERE id IN (SELECT value FROM json_each(@ids)) AND room_id = @roomId AND uploader_id = @authorId AND message_id IS NULL`,
  );
  const claim = db.prepare<{ messageId: string; ids: string }>(
    `UPDATE files SET message_id = @messageId, position = (SELECT key FROM json_each(@ids) WHERE value = files.id)
      WHERE id IN (SELECT value FROM json_each(@ids)) AND message_id IS NULL`,
  );
  const remove = db.prepare<[string], string>(REMOVE_FILES_SQL).pluck();

  return {
    /** The files of `message.fileIds`, in that order; refused when any is not the author's unsent upload to the room. */
    claimable(message: NewMessage): MessageFile[] {
      const ids = message.fileIds ?? [];
      const rows = claimable.all({ ids: JSON.stringify(ids), roomId: message.roomId, authorId: message.author.id });
      const files = filesInOrder(ids, rows.map(toMessageFile));
      if (!files) throw new MutationRefusedError('files-unavailable');
      return files;
    },
    /** Marks the files sent with the (inserted) message, each at its position. */
    claim(messageId: string, files: readonly MessageFile[]): void {
      claim.run({ messageId, ids: JSON.stringify(files.map((file) => file.id)) });
    },
    /** Removes the rows of a message's files; their ids. */
    remove: (messageId: string): string[] => remove.all(messageId),
  };
}
