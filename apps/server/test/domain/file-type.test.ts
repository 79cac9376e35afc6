import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { normalizeType, sniffType, storedType } from '../../src/domain/file-type.js';

/** How the server decides a stored file's type (issue 17): the bytes make an image, nothing else does. */
describe('the stored type of an upload', () => {
  it.each([
    // [declared, sniffed, stored]
    ['image/png', 'image/png', 'image/png'],
    ['image/jpeg', 'image/png', 'image/png'], // raster bytes take their own type
    ['application/octet-stream', 'image/webp', 'image/webp'],
    [undefined, 'image/gif', 'image/gif'],
    ['image/png', undefined, 'application/octet-stream'], // HTML (or anything unknown) sent as an image
    ['image/png', 'application/pdf', 'application/pdf'], // an image type the bytes do not bear out
    ['image/svg+xml', undefined, 'image/svg+xml'], // kept, and only ever a download
    ['text/html', undefined, 'text/html'],
    ['Application/PDF; name="x"', 'application/pdf', 'application/pdf'],
    ['text/plain', 'application/zip', 'text/plain'], // not an image: the declared type stands
  ] as const)('declared %s, bytes %s: %s', (declared, sniffed, stored) => {
    expect(storedType(declared, sniffed)).toBe(stored);
  });

  it.each([undefined, '', 'png', 'image/', '/png', 'image/png/x', 'image/p ng', 'téxt/plain', `a/${'b'.repeat(300)}`])(
    'makes a malformed declared type %j generic',
    (declared) => expect(normalizeType(declared)).toBe('application/octet-stream'),
  );

  it('sniffs images by their magic bytes, and nothing in text', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    expect(await sniffType(png)).toBe('image/png');
    expect(await sniffType(Buffer.from('<!doctype html><script>alert(1)</script>'))).toBeUndefined();
    expect(await sniffType(new Uint8Array())).toBeUndefined();
  });
});
