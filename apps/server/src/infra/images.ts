import type { Readable } from 'node:stream';
import sharp from 'sharp';
import type { ImageReader } from '../domain/file.service.js';

/** Thumbnails fit inside this square (the message list shows them smaller; 2x screens need the pixels). */
const THUMBNAIL_EDGE = 400;

/**
 * Images above this many pixels are not decoded: a small PNG can claim 60,000 x 60,000 pixels and
 * decompress to gigabytes (a decompression bomb). 50 megapixels is above any phone camera's
 * photo (48 MP at most) and about 200 MB decoded as RGBA, which the server can afford now and then.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;

/**
 * Reads images with sharp (libvips): the size as shown (EXIF orientation applied) and a WebP
 * thumbnail, from one pass over the stream. Refuses invalid pixel data ('error'), not only
 * unreadable headers, so a broken image is a plain file rather than a half-drawn thumbnail.
 */
export function sharpImageReader(maxPixels = MAX_IMAGE_PIXELS): ImageReader {
  return {
    async read(source: Readable) {
      const input = sharp({ limitInputPixels: maxPixels, failOn: 'error', autoOrient: true, sequentialRead: true });
      const metadata = input.clone().metadata();
      const thumbnail = input
        .clone()
        .resize({ width: THUMBNAIL_EDGE, height: THUMBNAIL_EDGE, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer();
      const sourceFailed = new Promise<never>((_, reject) => source.once('error', reject));
      source.pipe(input);
      try {
        const [meta, bytes] = await Promise.race([Promise.all([metadata, thumbnail]), sourceFailed]);
        const width = meta.autoOrient?.width ?? meta.width;
        const height = meta.autoOrient?.height ?? meta.height;
        if (!width || !height) throw new Error('image without a size');
        return { width, height, thumbnail: bytes };
      } catch (error) {
        source.unpipe(input);
        input.destroy();
        source.destroy();
        throw error;
      }
    },
  };
}
