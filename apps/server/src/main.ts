import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from './app.js';
import { createCluster } from './infra/cluster.js';
import { browserUrl, loadConfig } from './config.js';
import { createMetricsServer } from './http/metrics.router.js';
import { createLogger } from './infra/logger.js';
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
    serveSourceMaps: config.serveSourceMaps,
    build: config.buildId,
    limits: config.limits,
    redis: cluster?.redis,
    clusterName: config.clusterName,
    adapter: cluster?.adapter,
    presence: cluster?.presence,
    readinessChecks: cluster ? [cluster.readiness] : [],
    trustedProxies: config.trustedProxies,
    membershipCacheSize: config.membershipCacheSize,
    metricsToken: config.metricsToken,
  });

  cluster?.onError(() => app.metrics.adapterErrors.inc());

  const port = await listen(app.httpServer, config.port, config.host);
  // Metrics for a network only the scraper reaches (the app port has them behind METRICS_TOKEN, if at all).
  let metricsServer: Server | undefined;
  let metricsPort: number | undefined;
  if (config.metricsPort !== undefined) {
    metricsServer = createMetricsServer(app.metrics, logger);
    metricsPort = await listen(metricsServer, config.metricsPort, config.host);
  }
  const url = browserUrl(config.host, port);
  logger.info(
    {
      port,
      url,
      ...(metricsPort !== undefined && { metricsPort }),
      host: config.host ?? '::',
      storage: config.database ? 'postgres' : 'sqlite',
      ...(!config.database && { dataDir: config.dataDir }),
      redis: cluster !== undefined,
    },
    'Parley is listening',
  );
  // Said on a line of its own, for the person who just ran `pnpm start` and wants the app.
  if (fs.existsSync(path.join(config.webDist, 'index.html'))) logger.info({ url }, `Open ${url} in a browser`);
  else logger.info({ url, webDist: config.webDist }, `No web app in WEB_DIST (run pnpm build); ${url} serves the API only`);

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    metricsServer?.close();
    metricsServer?.closeAllConnections();
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

/** Listens on port (0: any free one) and resolves with the port it got. */
async function listen(server: Server, port: number, host: string | undefined): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return (server.address() as AddressInfo).port;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
