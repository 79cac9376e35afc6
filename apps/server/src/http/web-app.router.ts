import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/**
 * Serves the built single-page app: its files, and index.html for any other GET that is not
 * the API or the socket, so deep links (/rooms/...) load the app. Nothing when it is not built.
 */
export function webAppRouter(webDist: string): Router {
  const router = Router();
  const indexHtml = path.join(webDist, 'index.html');
  if (!fs.existsSync(indexHtml)) return router;

  router.use(express.static(webDist, { index: false, maxAge: '1h', immutable: false }));
  router.get(/^(?!\/api\/|\/socket\.io\/).*/, (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return router;
}
