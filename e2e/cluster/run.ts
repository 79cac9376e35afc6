// The cluster run as `pnpm test` starts it: Playwright with playwright.cluster.config.ts, or, when
// PostgreSQL or Redis is not running, a printed SKIPPED line (under CI=true a failure instead), as
// the server's cluster suites do.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { unreachable } from './services';

const reason = await unreachable();
if (reason && process.env.CI) {
  console.error(`${reason}, and CI must not skip the e2e cluster run`);
  process.exit(1);
}
if (reason) {
  console.warn(`SKIPPED: ${reason}; the e2e cluster run (tests-cluster/) did not run`);
  process.exit(0);
}
// Arguments go on to Playwright: `pnpm --filter @parley/e2e run test:cluster tests-cluster/profile.spec.ts`.
const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
const config = new URL('../playwright.cluster.config.ts', import.meta.url).pathname;
const run = spawnSync(process.execPath, [cli, 'test', '-c', config, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
