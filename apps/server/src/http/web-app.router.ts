import fs from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import express, { Router } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { sendError } from './errors.js';

export interface WebAppOptions {
  /** Serve the build's `*.map` files (SERVE_SOURCE_MAPS); otherwise they are a 404. */
  serveSourceMaps?: boolean;
}

/** Vite names everything under assets/ by its content hash: a new build means new names. */
const HASHED_ASSETS = `assets${path.sep}`;
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** A source map, or one compressed beside it. */
const SOURCE_MAP = /\.map(\.br|\.gz)?$/i;

/** The last path segment ends in an extension (/favicon.ico, /assets/x.js): a file, never a page. */
const LOOKS_LIKE_A_FILE = /\/[^/]*\.[a-z0-9]{1,8}$/i;

/**
 * Serves the built single-page app: its files, precompressed (brotli or gzip, as the build wrote them
 * beside each file) when the client accepts it, and index.html for any other GET that is not the API,
 * the socket or a file, so deep links (/rooms/...) load the app. Nothing when it is not built.
 */
export function webAppRouter(webDist: string, options: WebAppOptions = {}): Router {
  const router = Router();
  const indexHtml = path.join(webDist, 'index.html');
  if (!fs.existsSync(indexHtml)) return router;

  // Source maps are built `hidden` (no sourceMappingURL comment); they are for error tooling, not the public.
  if (!options.serveSourceMaps) router.get(SOURCE_MAP, (_req, res) => sendError(res, 'NOT_FOUND', 'no such file'));
  const staticOptions = {
    index: false,
    cacheControl: false,
    setHeaders: (res: ServerResponse, filePath: string) => setCacheControl(res, path.relative(webDist, filePath)),
  };
  const serveFiles = expressStaticGzip(webDist, {
    enableBrotli: true,
    orderPreference: ['br', 'gzip'],
    index: false,
    serveStatic: staticOptions,
  });
  const servePlainFiles = express.static(webDist, staticOptions);
  router.use((req, res, next) =>
    serveFiles(req, res, (error?: unknown) => {
      // A compressed copy was chosen but not sent (it is gone: a build replaced dist/). Whatever is sent
      // instead must not carry the encoding and type chosen for it: the plain file if there is one.
      const copyMissing = !res.headersSent && res.hasHeader('content-encoding');
      if (copyMissing) {
        res.removeHeader('content-encoding');
        res.removeHeader('content-type');
      }
      if (copyMissing && !error) servePlainFiles(req, res, next);
      else next(error);
    }),
  );
  router.get(/^(?!\/api\/|\/socket\.io\/).*/, (req, res) => {
    // A missing file (an old hashed chunk, /favicon.ico, /robots.txt) is a 404, never the app's HTML.
    if (LOOKS_LIKE_A_FILE.test(req.path)) {
      sendError(res, 'NOT_FOUND', 'no such file');
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(indexHtml, (error) => {
      // index.html vanished (a build is replacing dist/ under a running server): say so, not "malformed request".
      if (error && !res.headersSent) sendError(res, 'UNAVAILABLE', 'the web app is being updated; try again');
    });
  });
  return router;
}

/** Hashed assets never change under their name; anything else (favicon, robots.txt) is checked each time. */
function setCacheControl(res: ServerResponse, relativePath: string): void {
  res.setHeader('cache-control', relativePath.startsWith(HASHED_ASSETS) ? IMMUTABLE : 'no-cache');
}
