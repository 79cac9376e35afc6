import { Router } from 'express';
import type { Logger } from 'pino';
import type { ReadinessCheck } from '../infra/readiness.js';
import { sendError } from './errors.js';

export function healthRouter(checks: readonly ReadinessCheck[], logger: Logger): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const failed: string[] = [];
    await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), 2000);
        } catch (error) {
          logger.warn({ err: error, dependency: name }, 'readiness check failed');
          failed.push(name);
        }
      }),
    );
    if (failed.length > 0) return sendError(res, 'UNAVAILABLE', `not ready: ${failed.sort().join(', ')}`);
    res.json({ status: 'ready', checks: Object.fromEntries(checks.map(({ name }) => [name, 'ok'])) });
  });

  return router;
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
