import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createSqliteStorage } from './storage/sqlite/index.js';

/** Reads config, picks storage, listens: the only place that does. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const storage = createSqliteStorage(config.dataDir);
  const app = createApp({
    storage,
    logger,
    allowedOrigins: config.allowedOrigins,
    sessionTtlMs: config.sessionTtlMs,
    recoveryWindowMs: config.recoveryWindowMs,
    webDist: config.webDist,
  });

  await new Promise<void>((resolve, reject) => {
    app.httpServer.once('error', reject);
    app.httpServer.listen(config.port, config.host, resolve);
  });
  const { port } = app.httpServer.address() as AddressInfo;
  logger.info({ port, host: config.host ?? '::', dataDir: config.dataDir, storage: 'sqlite' }, 'Parley is listening');

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
