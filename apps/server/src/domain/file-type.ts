import { fileTypeFromBuffer } from 'file-type';
import { isInlineImageType } from '@parley/protocol';

/** What a file is stored as when nothing better can be said. */
export const GENERIC_TYPE = 'application/octet-stream';

/** file-type reads at most this many bytes of a file's start (its magic-byte tables stop there). */
export const SNIFF_BYTES = 4100;

/** A media type as `type/subtype` of RFC 9110 token characters. */
const MEDIA_TYPE = /^[a-z0-9!#$%&'*+.^_`|~-]+\/[a-z0-9!#$%&'*+.^_`|~-]+$/;

/** The declared `Content-Type`, lowercased, its parameters dropped; anything malformed is generic. */
export function normalizeType(declared: string | undefined): string {
  const type = (declared ?? '').split(';', 1)[0]!.trim().toLowerCase();
  return type.length <= 255 && MEDIA_TYPE.test(type) ? type : GENERIC_TYPE;
}

/** The media type the first bytes of a file show by their magic numbers, if any. */
export async function sniffType(head: Uint8Array): Promise<string | undefined> {
  return (await fileTypeFromBuffer(head))?.mime;
}

/**
 * The type a file is stored (and served) as. Only the bytes can make a file a raster image: a
 * declared raster type is kept only when the bytes are that image; bytes that are a raster image
 * of another type take their own type; a declared raster type the bytes do not bear out becomes
 * what they are, or generic. So an HTML page sent as image/png is never served as an image (nor as
 * HTML: it is generic, a download). Other declared types are kept: they are only ever downloads.
 */
export function storedType(declared: string | undefined, sniffed: string | undefined): string {
  if (sniffed !== undefined && isInlineImageType(sniffed)) return sniffed;
  const type = normalizeType(declared);
  if (isInlineImageType(type)) return sniffed ?? GENERIC_TYPE;
  return type;
}
