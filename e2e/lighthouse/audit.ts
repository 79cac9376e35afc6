import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { desktopConfig, type Result } from 'lighthouse';

export type Preset = 'desktop' | 'mobile';

export interface Audited {
  lhr: Result;
  /** Lighthouse's own HTML report, for a person to read. */
  html: string;
}

export const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;

// The same browser as the e2e suite: Debian's Chromium, headless, nothing phoning home.
const CHROMIUM_PATH = process.env.PARLEY_CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Lighthouse in a fresh Chromium: the mobile preset is Lighthouse's default, desktop its desktop config.
 * A run that Lighthouse itself could not complete (a runtime error such as NO_NAVSTART, which it says to
 * rerun) is tried again once; scores are never retried.
 */
export async function audit(url: string, preset: Preset, extraHeaders: Record<string, string> = {}): Promise<Audited> {
  const first = await auditOnce(url, preset, extraHeaders);
  if (!first.lhr.runtimeError) return first;
  console.warn(`Lighthouse could not complete ${url} (${preset}): ${first.lhr.runtimeError.code}; running it again`);
  const second = await auditOnce(url, preset, extraHeaders);
  if (second.lhr.runtimeError) throw new Error(`Lighthouse could not audit ${url} (${preset}): ${second.lhr.runtimeError.message}`);
  return second;
}

async function auditOnce(url: string, preset: Preset, extraHeaders: Record<string, string>): Promise<Audited> {
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM_PATH, chromeFlags: CHROMIUM_FLAGS, logLevel: 'error' });
  try {
    const result = await lighthouse(
      url,
      { port: chrome.port, output: 'html', logLevel: 'error', onlyCategories: [...CATEGORIES], extraHeaders },
      preset === 'desktop' ? desktopConfig : undefined,
    );
    if (!result) throw new Error(`Lighthouse returned nothing for ${url} (${preset})`);
    return { lhr: result.lhr, html: Array.isArray(result.report) ? result.report.join('') : result.report };
  } finally {
    chrome.kill();
  }
}
