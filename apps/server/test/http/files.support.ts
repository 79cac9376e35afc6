/**
 * What the file tests (issue 17) share: uploading (whole, or streamed chunk by chunk without a
 * Content-Length), fetching, real images made with sharp, and proving that nothing was stored.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileUploadResultSchema, type MessageFile } from '@parley/protocol';
import sharp from 'sharp';
import { expect } from 'vitest';
import type { Client, TestServer } from '../support/harness.js';

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

/** POST /api/rooms/:roomId/files with the whole body at once (fetch sends its Content-Length). */
export async function upload(
  url: string,
  token: string | undefined,
  roomId: string,
  name: string,
  bytes: Uint8Array,
  type?: string,
): Promise<Answer> {
  const headers = new Headers();
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (type !== undefined) headers.set('content-type', type);
  const res = await fetch(`${url}/api/rooms/${encodeURIComponent(roomId)}/files?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers,
    body: bytes,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** Uploads as `who` and expects it stored: the 201 body, checked against the contract. */
export async function uploaded(
  server: TestServer,
  who: Client,
  roomId: string,
  name: string,
  bytes: Uint8Array,
  type?: string,
): Promise<MessageFile> {
  const res = await upload(server.url, who.person.token, roomId, name, bytes, type);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return fileUploadResultSchema.parse(res.body).file;
}

/** GET /api/files/:id (or its thumbnail) as bytes. */
export async function fetchFile(
  url: string,
  token: string | undefined,
  fileId: string,
  thumbnail = false,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${url}/api/files/${encodeURIComponent(fileId)}${thumbnail ? '/thumbnail' : ''}`, {
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...headers },
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const body = res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(bytes.toString()) : undefined;
  return { status: res.status, headers: res.headers, bytes, body };
}

/** Expects the file to be NOT_FOUND for that token. */
export async function expectNotFound(url: string, token: string, fileId: string, thumbnail = false): Promise<void> {
  const res = await fetchFile(url, token, fileId, thumbnail);
  expect(res.status).toBe(404);
  expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
}

/**
 * Streams an upload with node:http in `chunkSize` pieces and no Content-Length (chunked), up to
 * `totalBytes`, stopping as soon as an answer arrives: a server that refuses mid-stream answers
 * before the client has sent everything. Extra headers may add a Content-Length without a body.
 */
export function streamUpload(
  url: string,
  pathname: string,
  headers: Record<string, string>,
  { chunkSize = 16 * 1024, totalBytes }: { chunkSize?: number; totalBytes: number },
): Promise<{ status: number; body: any; sent: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${pathname}`, { method: 'POST', headers });
    let answered = false;
    let sent = 0;
    req.on('response', (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(parts).toString()), sent }));
      res.on('error', reject);
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (headers['content-length'] !== undefined) {
      // Only the headers: a server that trusts the declared length answers without any body.
      req.flushHeaders();
      return;
    }
    const next = () => {
      if (answered || req.destroyed) return;
      if (sent >= totalBytes) return void req.end();
      const piece = randomBytes(Math.min(chunkSize, totalBytes - sent));
      sent += piece.length;
      req.write(piece, next);
    };
    next();
  });
}

/** A real PNG of that size. */
export function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3a7bd5' } })
    .png()
    .toBuffer();
}

/** A real JPEG stored sideways: EXIF orientation 6 (shown rotated a quarter turn). */
export function sidewaysJpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#e94e77' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/**
 * A decompression bomb: a valid PNG of about 64 KiB that decodes to 8,000 x 8,000 pixels (64
 * megapixels, over the server's 50; under sharp's own default limit, so only the server's cap stops it).
 */
export function pngBomb(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type), data])));
    return Buffer.concat([length, Buffer.from(type), data, crc]);
  };
  const edge = 8_000;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(edge, 0);
  header.writeUInt32BE(edge, 4);
  header[8] = 8; // bit depth; colour type 0 (grey), no interlace
  const rows = zlib.deflateSync(Buffer.alloc((edge + 1) * edge), { level: 9 }); // every row: filter 0, black
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', header),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Every regular file under a folder (none when it does not exist). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * Nothing of an upload was kept: the uploader used none of today's quota (the row and its bytes
 * count together), and storage holds no bytes that no row names (a blob left behind).
 */
export async function expectNothingStored(server: TestServer, uploaderId: string): Promise<void> {
  expect(await server.storage.files.usedOn(uploaderId, new Date().toISOString().slice(0, 10))).toBe(0);
  expect(await server.storage.blobs.sweepOrphans(Date.now() + 3_600_000)).toBe(0);
}

let sent = 0;
/** Sends the files with a message (empty text by default) and resolves with the stored message. */
export async function sendFiles(from: Client, roomId: string, fileIds: string[], text = '') {
  sent += 1;
  return (await from.call('message:send', { roomId, clientMsgId: `files-${sent}`, text, fileIds })).message;
}
