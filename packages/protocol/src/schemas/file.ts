import { z } from 'zod';
import { LIMITS } from '../rooms.js';
import { codePointsBetween, idSchema, storableText } from './common.js';

/**
 * v2 (issue 17): a file as a message carries it and as an upload answers. `type` is the media type
 * the server stored (checked against the file's first bytes); `width`/`height` for images, else null.
 */
export const messageFileSchema = z.strictObject({
  id: idSchema,
  name: z.string(),
  size: z.number().int().nonnegative(),
  type: z.string(),
  width: z.number().int().positive().nullable(),
  height: z.number().int().positive().nullable(),
});
export type MessageFile = z.infer<typeof messageFileSchema>;

/**
 * Raster image types shown inline (as thumbnails, and full size when opened). Everything else,
 * SVG and HTML included, is only ever a download.
 */
export const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export function isInlineImageType(type: string): boolean {
  return (INLINE_IMAGE_TYPES as readonly string[]).includes(type);
}

/** A file's name: 1 to 255 code points, no control characters, no path separators. */
export const fileNameSchema = storableText('name')
  .refine(codePointsBetween('name', 1, LIMITS.fileNameMax), `name must be 1 to ${LIMITS.fileNameMax} characters`)
  // eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
  .refine((name) => !/[\u0000-\u001f\u007f/\\]/.test(name), 'name must not contain control characters or path separators')
  .refine((name) => name.trim() !== '' && name !== '.' && name !== '..', 'name must name a file');

/** `fileIds` of `message:send`: 1 to 10 distinct ids. */
export const fileIdsSchema = z
  .array(idSchema)
  .min(1, 'fileIds must not be empty (leave it out)')
  .max(LIMITS.filesPerMessageMax, `at most ${LIMITS.filesPerMessageMax} files per message`)
  .refine((ids) => new Set(ids).size === ids.length, 'fileIds must not repeat a file');

/** The HTTP query of POST /api/rooms/:id/files (the body is the file, its `Content-Type` the type). */
export const fileUploadQuerySchema = z.strictObject({ name: fileNameSchema });

/** 201 of POST /api/rooms/:id/files. */
export const fileUploadResultSchema = z.strictObject({ file: messageFileSchema });
export type FileUploadResult = z.infer<typeof fileUploadResultSchema>;
