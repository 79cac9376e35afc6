import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import express, { Router, type Request, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../infra/metrics.js';
import { errorHandler, notFoundHandler } from './errors.js';

/**
 * /metrics on the app port, for a scraper that holds METRICS_TOKEN (`Authorization: Bearer`).
 * Without a token configured, or without the right one, it answers as any unknown path does, so
 * the public side does not even learn that metrics exist.
 */
export function metricsRouter(metrics: Metrics, token: string | undefined): Router {
  const router = Router();
  const serve = serveMetrics(metrics);
  router.get('/metrics', (req, res, next) =>
    token !== undefined && bearerMatches(req, token) ? serve(req, res, next) : notFoundHandler(req, res, next),
  );
  return router;
}

/**
 * The metrics port (METRICS_PORT): /metrics without a token and nothing else, for a network only
 * the scraper reaches. main.ts listens, as it does for the app.
 */
export function createMetricsServer(metrics: Metrics, logger: Logger): Server {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', serveMetrics(metrics));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return createServer(app);
}

function serveMetrics(metrics: Metrics): RequestHandler {
  return async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}

/** Compares digests, so the time taken says nothing about the token, not even its length. */
function bearerMatches(req: Request, token: string): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
