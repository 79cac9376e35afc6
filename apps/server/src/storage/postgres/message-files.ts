import type { MessageFile } from '@parley/protocol';
import { MutationRefusedError } from '../errors.js';
import { toMessageFile, type FileRow } from '../file-rows.js';
import { filesInOrder } from '../message-rules.js';
import type { NewMessage } from '../storage.js';
import { hasNul, statement, type Queryable } from './db.js';

type FileColumns = Pick<FileRow, 'id' | 'name' | 'type' | 'size' | 'width' | 'height'>;

// The author's unsent uploads to the room among $1, locked until COMMIT: the unsent-file sweep skips
// them (SKIP LOCKED), and another send of the same file (same room, so after this one on the room's
// lock) finds it sent.
const CLAIMABLE = statement(
  'messages.claimableFiles',
  `SELECT id, name, type, size, width, height FROM files
    WHERE id = ANY ($1::text[]) AND room_id = $2 AND uploader_id = $3 AND message_id IS NULL
      FOR UPDATE`,
);

/**
 * messages.insert (message-writes.ts) with the files: the message's JSON ($11), and each file's row
 * marked sent with it at its position in $12. One statement, so the rows' foreign key to the message
 * is checked once it is inserted.
 */
export const INSERT_WITH_FILES = statement(
  'messages.insertWithFiles',
  `WITH inserted AS (
     INSERT INTO messages (id, room_id, seq, rev, author_id, client_msg_id, text, created_at, thread_root_id, mentions, files)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
   ), claimed AS (
     UPDATE files f SET message_id = $1, position = sent.position - 1
       FROM unnest($12::text[]) WITH ORDINALITY AS sent(id, position)
      WHERE f.id = sent.id
   )
   UPDATE memberships SET last_read_seq = GREATEST(last_read_seq, $3) WHERE room_id = $2 AND user_id = $5`,
);

/** The files of `message.fileIds`, in that order; refused when any is not the author's unsent upload to the room. */
export async function claimable(tx: Queryable, message: NewMessage): Promise<MessageFile[]> {
  const ids = message.fileIds ?? [];
  if (hasNul(...ids)) throw new MutationRefusedError('files-unavailable');
  const { rows } = await tx.query<FileColumns>(CLAIMABLE, [ids, message.roomId, message.author.id]);
  const files = filesInOrder(ids, rows.map(toMessageFile));
  if (!files) throw new MutationRefusedError('files-unavailable');
  return files;
}
