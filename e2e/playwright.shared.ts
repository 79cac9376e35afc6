import type { PlaywrightTestConfig } from '@playwright/test';

/** What both runs (one node on SQLite, two nodes on PostgreSQL and Redis) set alike. */
export const sharedConfig = {
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
} satisfies PlaywrightTestConfig;

/** The browser: Debian's Chromium, headless, a trace and a screenshot kept for each failure. */
export const sharedUse = {
  browserName: 'chromium',
  trace: 'retain-on-failure',
  screenshot: 'only-on-failure',
  launchOptions: {
    // Playwright cannot download its own browsers here: Debian's chromium, overridable by env.
    executablePath: process.env.PARLEY_CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  },
} satisfies PlaywrightTestConfig['use'];

/**
 * A server's environment besides where it listens and stores. Every test registers its people from
 * this one address, and seeding history sends hundreds of messages at once: both on purpose. Nothing
 * a person does in the tests comes near the defaults.
 */
export const serverEnv = {
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  LIMIT_MESSAGES_PER_MINUTE: '100000',
  LIMIT_AUTH_ATTEMPTS_PER_IP: '100000',
};
