import { Readable } from 'node:stream';
import { isInlineImageType, type MessageFile, type User } from '@parley/protocol';
import { UploadTooLargeError } from '../storage/errors.js';
import { blobKeys, thumbnailKey, type BlobStore, type FileRecord, type FileRepository, type StoredBlob } from '../storage/files.js';
import { AppError, notFound } from './errors.js';
import { GENERIC_TYPE, SNIFF_BYTES, sniffType, storedType } from './file-type.js';
import { newId } from './ids.js';
import type { RoomService } from './room.service.js';

/**
 * What the domain needs of an image library (infra/images.ts does it with sharp): the size of an
 * image as shown, and a small WebP of it. Rejects when the bytes are no image it can read within
 * its limits (a decompression bomb is one it cannot).
 */
export interface ImageReader {
  read(source: Readable): Promise<{ width: number; height: number; thumbnail: Uint8Array }>;
}

/** Where files live: their rows and their bytes (Storage has both). */
export interface FileStorage {
  files: FileRepository;
  blobs: BlobStore;
}

export interface FileLimits {
  /** Bytes of one file. */
  uploadBytes: number;
  /** Bytes of one user per UTC day. */
  uploadBytesPerDay: number;
}

export interface Upload {
  user: User;
  roomId: string;
  /** Checked by the caller (fileNameSchema). */
  name: string;
  /** The request's Content-Type, as sent. */
  declaredType: string | undefined;
  /** The request's Content-Length, when it gave one. */
  contentLength?: number | undefined;
  /** The bytes, as they arrive: streamed to storage, never held whole. */
  body: AsyncIterable<Uint8Array>;
}

/** A file to serve: its row, the bytes, and the type to serve them as. */
export interface OpenedFile {
  file: FileRecord;
  blob: StoredBlob;
  type: string;
}

/** Unsent uploads older than this are removed by the sweep (issue 17). */
export const UNSENT_FILE_TTL_MS = 24 * 3_600_000;
/** Blobs without a row younger than this may be uploads in progress: the sweep leaves them. */
export const ORPHAN_BLOB_GRACE_MS = 3_600_000;
const SWEEP_BATCH = 500;

/**
 * Uploads, who may fetch a file, and the sweep of unsent ones. Only members upload, into the room
 * they are in; a sent file is for the members of its room, an unsent one for its uploader;
 * everyone else gets NOT_FOUND, exactly as for a file that does not exist.
 */
export class FileService {
  constructor(
    private readonly storage: FileStorage,
    private readonly rooms: RoomService,
    private readonly images: ImageReader,
    private readonly limits: FileLimits,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async upload({ user, roomId, name, declaredType, contentLength, body }: Upload): Promise<MessageFile> {
    await this.rooms.requireMember(user.id, roomId);
    if (contentLength !== undefined && contentLength > this.limits.uploadBytes) throw tooLarge(this.limits.uploadBytes);
    const createdAt = this.now();
    const day = utcDay(createdAt);
    const left = this.limits.uploadBytesPerDay - (await this.storage.files.usedOn(user.id, day));
    if ((contentLength ?? 0) > left || left <= 0) throw overQuota();

    const id = newId('f');
    const head = new Head(SNIFF_BYTES);
    let size: number;
    try {
      // Stops at whichever comes first: the file's cap, or what is left of the day's quota.
      size = await this.storage.blobs.put(id, head.watch(body), Math.min(this.limits.uploadBytes, left));
    } catch (error) {
      if (error instanceof UploadTooLargeError)
        throw error.maxBytes < this.limits.uploadBytes ? overQuota() : tooLarge(this.limits.uploadBytes);
      throw error;
    }
    try {
      const record: FileRecord = {
        id,
        name,
        size,
        type: storedType(declaredType, await sniffType(head.bytes())),
        width: null,
        height: null,
        roomId,
        uploaderId: user.id,
        messageId: null,
        createdAt: createdAt.toISOString(),
        hasThumbnail: false,
      };
      if (isInlineImageType(record.type)) await this.addThumbnail(record);
      const created = await this.storage.files.create(record, { day, maxBytesPerDay: this.limits.uploadBytesPerDay });
      if (created === 'over-quota') throw overQuota();
      return toMessageFile(record);
    } catch (error) {
      // Nothing is acknowledged, so nothing stays; what a failed delete leaves, the sweep's orphan pass removes.
      await this.storage.blobs.delete(blobKeys(id)).catch(() => undefined);
      throw error;
    }
  }

  /** The file (or its thumbnail) when the user may see it; NOT_FOUND otherwise, whatever the reason. */
  async open(user: User, fileId: string, { thumbnail }: { thumbnail: boolean }): Promise<OpenedFile> {
    const file = await this.storage.files.find(fileId);
    if (!file || !(await this.mayOpen(user, file)) || (thumbnail && !file.hasThumbnail)) throw notFound('file');
    const blob = await this.storage.blobs.get(thumbnail ? thumbnailKey(file.id) : file.id);
    if (!blob) throw notFound('file');
    return { file, blob, type: thumbnail ? THUMBNAIL_TYPE : file.type };
  }

  /**
   * Removes files never sent within a day of their upload (rows, then bytes), then bytes no row
   * names that are old enough not to be an upload in progress. Returns how many of each.
   */
  async sweep(): Promise<{ unsent: number; orphans: number }> {
    const now = this.now().getTime();
    const before = new Date(now - UNSENT_FILE_TTL_MS).toISOString();
    let unsent = 0;
    for (;;) {
      const ids = await this.storage.files.sweepUnsent(before, SWEEP_BATCH);
      if (ids.length > 0) await this.storage.blobs.delete(ids.flatMap(blobKeys));
      unsent += ids.length;
      if (ids.length < SWEEP_BATCH) break;
    }
    const orphans = await this.storage.blobs.sweepOrphans(now - ORPHAN_BLOB_GRACE_MS);
    return { unsent, orphans };
  }

  private async mayOpen(user: User, file: FileRecord): Promise<boolean> {
    if (file.messageId === null) return file.uploaderId === user.id;
    try {
      await this.rooms.assertMember(user.id, file.roomId);
      return true;
    } catch (error) {
      if (error instanceof AppError) return false;
      throw error;
    }
  }

  /** Reads a stored raster image back for its size and thumbnail; one it cannot read is kept as a plain file. */
  private async addThumbnail(record: FileRecord): Promise<void> {
    const blob = await this.storage.blobs.get(record.id);
    if (!blob) throw new Error(`blob ${record.id} vanished after its put`);
    let image: Awaited<ReturnType<ImageReader['read']>>;
    try {
      image = await this.images.read(blob.stream);
    } catch {
      blob.stream.destroy();
      record.type = GENERIC_TYPE;
      return;
    }
    await this.storage.blobs.put(thumbnailKey(record.id), Readable.from([image.thumbnail]), this.limits.uploadBytes);
    Object.assign(record, { width: image.width, height: image.height, hasThumbnail: true });
  }
}

const THUMBNAIL_TYPE = 'image/webp';

function toMessageFile({ id, name, size, type, width, height }: FileRecord): MessageFile {
  return { id, name, size, type, width, height };
}

/** The UTC day of a time, `YYYY-MM-DD`: what the daily quota counts by. */
export function utcDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}

const tooLarge = (max: number) => new AppError('PAYLOAD_TOO_LARGE', `a file may have at most ${max} bytes`);
const overQuota = () => new AppError('RATE_LIMITED', 'daily upload quota used up; try again tomorrow (UTC)');

/** Keeps a copy of the first `limit` bytes of a stream as it passes through, for sniffing. */
class Head {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  constructor(private readonly limit: number) {}

  async *watch(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    for await (const chunk of source) {
      if (this.length < this.limit) {
        const part = chunk.subarray(0, this.limit - this.length);
        this.chunks.push(part);
        this.length += part.length;
      }
      yield chunk;
    }
  }

  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
}
