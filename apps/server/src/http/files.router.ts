import { pipeline } from 'node:stream/promises';
import { create as contentDisposition } from 'content-disposition';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { fileUploadQuerySchema, idSchema, isInlineImageType, roomIdSchema } from '@parley/protocol';
import type { FileService, OpenedFile } from '../domain/file.service.js';
import type { RateLimits } from '../infra/rate-limits.js';
import { parseInput } from '../edge/validation.js';
import { authOf } from './authenticate.js';
import { rateLimited } from './rate-limit.js';

/**
 * No script runs in a file response, whatever it holds: nothing loads (`default-src 'none'`) and a
 * document opened anyway is sandboxed (an opaque origin: no cookies, no storage, no scripts).
 */
const FILE_CSP = "default-src 'none'; sandbox";

/**
 * Five minutes: a file's bytes never change under its id, so a browser may keep them a while;
 * but access can end (a member removed, a message deleted), so not for long. After that it
 * revalidates with the ETag: the access check again, and 304 without the bytes when it passes.
 */
const FILE_CACHE_CONTROL = 'private, max-age=300';

/**
 * POST /api/rooms/:id/files (the raw body is the file) and GET /api/files/:id(/thumbnail). Mounted
 * before express.json() so no body parser ever reads an upload, with its own requireAuth.
 */
export function filesRouter(files: FileService, rateLimits: RateLimits, authenticated: RequestHandler): Router {
  const router = Router();

  router.post('/rooms/:id/files', closeUnlessRead, authenticated, rateLimited(rateLimits, 'file:upload'), async (req, res) => {
    const roomId = parseInput(roomIdSchema, req.params.id);
    const { name } = parseInput(fileUploadQuerySchema, req.query);
    try {
      const file = await files.upload({
        user: authOf(res).user,
        roomId,
        name,
        declaredType: req.headers['content-type'],
        contentLength: contentLengthOf(req),
        // Not destroyed when storage stops early (over the cap): the 413 must still be sent on this connection.
        body: req.iterator({ destroyOnReturn: false }),
      });
      res.removeHeader('connection');
      res.status(201).json({ file });
    } catch (error) {
      // The client went away: there is no one to answer.
      if (req.destroyed && !req.complete) return;
      throw error;
    }
  });

  router.get('/files/:id', authenticated, rateLimited(rateLimits, 'file:get'), (req, res) => serve(files, req, res, false));
  router.get('/files/:id/thumbnail', authenticated, rateLimited(rateLimits, 'file:get'), (req, res) => serve(files, req, res, true));

  return router;
}

/**
 * A refused upload (no session, no room, over the cap or the quota...) is answered without reading
 * the rest of its body: the connection closes after the answer, instead of Node reading and
 * discarding what could be gigabytes to keep it alive. Only a stored upload keeps it.
 */
const closeUnlessRead: RequestHandler = (_req, res, next) => {
  res.setHeader('connection', 'close');
  next();
};

async function serve(files: FileService, req: Request, res: Response, thumbnail: boolean): Promise<void> {
  const fileId = parseInput(idSchema, req.params.id);
  const opened = await files.open(authOf(res).user, fileId, { thumbnail });
  const { stream, size } = opened.blob;
  const etag = `"${thumbnail ? 'thumb-' : ''}${opened.file.id}"`;
  // A stored blob's stream is read to its end or destroyed (it may hold a file handle or a query).
  const bodyless = req.headers['if-none-match'] === etag || req.method === 'HEAD';
  if (bodyless) stream.destroy();
  try {
    setFileHeaders(res, opened, thumbnail, etag);
  } catch (error) {
    stream.destroy();
    throw error;
  }
  if (req.headers['if-none-match'] === etag) {
    res.status(304).end();
    return;
  }
  res.setHeader('content-length', String(size));
  if (bodyless) {
    res.end(); // HEAD
    return;
  }
  try {
    await pipeline(stream, res);
  } catch {
    // The reader went away or storage failed mid-body: the response is cut (its length says so).
    res.destroy();
  }
}

function setFileHeaders(res: Response, { file, type }: OpenedFile, thumbnail: boolean, etag: string): void {
  // Only raster images are shown in place; anything else, SVG and HTML included, is a download.
  const inline = isInlineImageType(type);
  const name = thumbnail ? `${file.name.replace(/\.[^.]*$/, '')}.webp` : file.name;
  res.setHeader('content-type', type);
  res.setHeader('content-disposition', contentDisposition(name, { type: inline ? 'inline' : 'attachment' }));
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('content-security-policy', FILE_CSP);
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  res.setHeader('cache-control', FILE_CACHE_CONTROL);
  res.setHeader('etag', etag);
}

/** The declared length, when the request has a valid one (chunked uploads have none). */
function contentLengthOf(req: Request): number | undefined {
  const header = req.headers['content-length'];
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}
