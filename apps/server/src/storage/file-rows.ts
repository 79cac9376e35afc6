import type { MessageFile } from '@parley/protocol';
import type { FileRecord } from './files.js';
import type { IntegerColumn } from './rows.js';

/** The `files` rows both drivers read and write (migration 6, schema.files.ts), and their mappers. */

/** A `files` row (migration 6), as FILE_COLUMNS selects it. */
export interface FileRow {
  id: string;
  room_id: string;
  uploader_id: string;
  name: string;
  type: string;
  size: IntegerColumn;
  width: IntegerColumn | null;
  height: IntegerColumn | null;
  has_thumbnail: IntegerColumn;
  created_at: string;
  message_id: string | null;
}

export const FILE_COLUMNS = 'id, room_id, uploader_id, name, type, size, width, height, has_thumbnail, created_at, message_id';

export function toFileRecord(row: FileRow): FileRecord {
  return {
    ...toMessageFile(row),
    roomId: row.room_id,
    uploaderId: row.uploader_id,
    messageId: row.message_id,
    createdAt: row.created_at,
    hasThumbnail: Number(row.has_thumbnail) === 1,
  };
}

/** A record as its row (the message, if any, is set by append's claim). */
export function toFileRow(file: FileRecord): FileRow {
  return {
    id: file.id,
    room_id: file.roomId,
    uploader_id: file.uploaderId,
    name: file.name,
    type: file.type,
    size: file.size,
    width: file.width,
    height: file.height,
    has_thumbnail: file.hasThumbnail ? 1 : 0,
    created_at: file.createdAt,
    message_id: file.messageId,
  };
}

/** A file as a message carries it. */
export function toMessageFile(row: Pick<FileRow, 'id' | 'name' | 'type' | 'size' | 'width' | 'height'>): MessageFile {
  const dimension = (value: IntegerColumn | null) => (value === null ? null : Number(value));
  return { id: row.id, name: row.name, size: Number(row.size), type: row.type, width: dimension(row.width), height: dimension(row.height) };
}
