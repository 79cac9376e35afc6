import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { createCluster } from './cluster.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createPostgresStorage } from './storage/postgres/index.js';
import { createSqliteStorage } from './storage/sqlite/index.js';

/** Reads config, picks storage, listens: the only place that does. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const storage = config.database
    ? await createPostgresStorage({
        connectionString: config.database.url,
        poolSize: config.database.poolSize,
        ...(config.database.schema && { schema: config.database.schema }),
        onError: (error) => logger.warn({ err: error }, 'postgres connection error'),
      })
    : createSqliteStorage(config.dataDir);
  const cluster = config.redisUrl ? createCluster(config.redisUrl, config.clusterName, logger, config.presenceNodeTtlSeconds) : undefined;
  const app = createApp({
    storage,
    logger,
    allowedOrigins: config.allowedOrigins,
    sessionTtlMs: config.sessionTtlMs,
    recoveryWindowMs: config.recoveryWindowMs,
    webDist: config.webDist,
    limits: config.limits,
    redis: cluster?.redis,
    clusterName: config.clusterName,
    adapter: cluster?.adapter,
    presence: cluster?.presence,
    readinessChecks: cluster ? [cluster.readiness] : [],
  });

  cluster?.onError(() => app.metrics.adapterErrors.inc());

  await new Promise<void>((resolve, reject) => {
    app.httpServer.once('error', reject);
    app.httpServer.listen(config.port, config.host, resolve);
  });
  const { port } = app.httpServer.address() as AddressInfo;
  logger.info({ port, host: config.host ?? '::', storage: config.database ? 'postgres' : 'sqlite', ...(!config.database && { dataDir: config.dataDir }), redis: cluster !== undefined }, 'Parley is listening');

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    app
      .close()
      .then(() => cluster?.close())
      .then(
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
