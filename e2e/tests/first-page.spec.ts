import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { ChatPage } from '../pages/chat.page';

declare global {
  interface Window {
    __cspViolations: string[];
  }
}

/**
 * Everything a page load gets wrong that a person would not see: CSP violations (zod's `new Function`
 * probe was one), console errors (a 401 logs one), failed or refused requests. Collected from before
 * the first byte of the page, so nothing at start-up escapes.
 */
async function watch(page: Page) {
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];
  const scripts: { url: string; encoding: string | undefined; cacheControl: string | undefined }[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) failedRequests.push(`${response.url()}: ${response.status()}`);
    if (response.request().resourceType() === 'script') {
      const headers = response.headers();
      scripts.push({
        url: new URL(response.url()).pathname,
        encoding: headers['content-encoding'],
        cacheControl: headers['cache-control'],
      });
    }
  });
  // The page's CSP forbids inline scripts, not this: Playwright adds it through the browser itself.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener(
      'securitypolicyviolation',
      (event) => window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`),
      true,
    );
  });
  return {
    scripts,
    async expectClean() {
      expect(await page.evaluate(() => window.__cspViolations), 'CSP violations').toEqual([]);
      expect(consoleErrors, 'console errors').toEqual([]);
      expect(failedRequests, 'failed requests').toEqual([]);
    },
  };
}

test('a signed-out visitor gets the sign-in page from one small compressed script, with no error of any kind', async ({ page }) => {
  const watcher = await watch(page);
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await watcher.expectClean();

  // Only the first chunk: the signed-in app's waits until someone focuses the form (an autofocus would
  // start it at once, competing with the first page).
  expect(watcher.scripts.map((script) => script.url)).toHaveLength(1);
  const [entry] = watcher.scripts;
  expect(entry!.url).toMatch(/^\/assets\/index-[\w-]+\.js$/);
  expect(entry!.encoding).toBe('br');
  expect(entry!.cacheControl).toBe('public, max-age=31536000, immutable');

  // Its source map is neither linked nor served.
  const script = await page.request.get(entry!.url);
  expect(await script.text()).not.toContain('sourceMappingURL');
  expect((await page.request.get(`${entry!.url}.map`)).status()).toBe(404);

  expect(await page.locator('meta[name="description"]').getAttribute('content')).toMatch(/chat/i);
  expect(await page.locator('meta[name="theme-color"]').count()).toBeGreaterThan(0);
});

test('the icons and robots.txt are real files, and a missing file is a 404, never the app', async ({ request }) => {
  const svg = await request.get('/favicon.svg');
  expect(svg.status()).toBe(200);
  expect(svg.headers()['content-type']).toContain('image/svg+xml');
  const ico = await request.get('/favicon.ico');
  expect(ico.status()).toBe(200);
  expect(ico.headers()['content-type']).toMatch(/icon/);
  const robots = await request.get('/robots.txt');
  expect(robots.status()).toBe(200);
  expect(await robots.text()).toContain('User-agent');
  const missing = await request.get('/apple-touch-icon.png');
  expect(missing.status()).toBe(404);
  expect(await missing.text()).not.toContain('<div id="root">');
});

test('signing in and loading the app signed in: no CSP violation, console error or failed request', async ({ page }) => {
  const watcher = await watch(page);
  const username = `gil_${randomBytes(4).toString('hex')}`;
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Username' }).fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill('a good long password');
  await page.getByRole('button', { name: 'Create account' }).click();
  const chat = new ChatPage(page);
  await expect(chat.rooms).toBeVisible();
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();
  await watcher.expectClean();

  // A signed-in load, straight into the app (its chunk, zod and the protocol's schemas included).
  const rooms = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/rooms');
  await page.reload();
  await expect(chat.rooms).toBeVisible();
  expect((await rooms).status()).toBe(200);
  await chat.createRoom(`first page ${randomBytes(3).toString('hex')}`);
  await chat.send('no eval here');
  await expect(chat.message('no eval here')).toBeVisible();
  await watcher.expectClean();
  expect(watcher.scripts.some((script) => script.url.includes('lazy-signed-in-app'))).toBe(true);
});
