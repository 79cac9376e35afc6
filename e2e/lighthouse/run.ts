// Lighthouse on Parley's sign-in page and signed-in chat view, desktop and mobile presets.
// Asserts accessibility 100, best practices 100 and SEO >= 90; reports performance and FCP/LCP/CLS/TBT.
// Run after building: `pnpm --filter @parley/e2e run lighthouse` (PARLEY_LIGHTHOUSE_PORT picks the port).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { audit, type Preset } from './audit';
import { failureDetails, summarise, table, THRESHOLDS, type PageReport } from './report';
import { seedChat } from './seed-chat';
import { startParley } from './server';

// Must match apps/server/src/edge/session-cookie.ts.
const SESSION_COOKIE = 'parley_session';
const PRESETS: Preset[] = ['desktop', 'mobile'];
const port = Number(process.env.PARLEY_LIGHTHOUSE_PORT ?? 4174);
const outputDir = fileURLToPath(new URL('../test-results/', import.meta.url));

async function main(): Promise<number> {
  const server = await startParley(port);
  try {
    const chat = await seedChat(server.baseURL);
    const cookie = `${SESSION_COOKIE}=${chat.token}`;
    // Otherwise a renamed cookie would quietly audit the sign-in page twice.
    const me = await fetch(`${server.baseURL}/api/me`, { headers: { cookie } });
    if (!me.ok) throw new Error(`the session cookie does not sign in (GET /api/me: ${me.status}); is it still ${SESSION_COOKIE}?`);
    const pages: { page: string; url: string; headers: Record<string, string> }[] = [
      { page: 'sign-in', url: `${server.baseURL}/`, headers: {} },
      {
        page: 'chat',
        url: `${server.baseURL}/rooms/${encodeURIComponent(chat.roomId)}`,
        headers: { Cookie: cookie },
      },
    ];
    const reports: PageReport[] = [];
    for (const { page, url, headers } of pages) {
      for (const preset of PRESETS) {
        console.log(`auditing ${page} (${preset}) ${url}`);
        const { lhr, html } = await audit(url, preset, headers);
        writeOutput(`lighthouse/${page}-${preset}.html`, html);
        reports.push(summarise(page, preset, lhr));
      }
    }

    const summaryFile = writeOutput('lighthouse.json', `${JSON.stringify({ thresholds: THRESHOLDS, reports }, null, 2)}\n`);
    console.log(`\n${table(reports)}\n`);
    console.log(`summary: ${summaryFile}; full reports: ${path.join(outputDir, 'lighthouse')}/`);
    const failed = reports.some((r) => r.failures.length > 0);
    if (failed) console.error(`\nLighthouse thresholds not met:\n${failureDetails(reports)}`);
    return failed ? 1 : 0;
  } finally {
    await server.stop();
  }
}

/** Writes under test-results/, creating folders as needed (a Playwright run starting meanwhile empties it). */
function writeOutput(name: string, content: string): string {
  const file = path.join(outputDir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
