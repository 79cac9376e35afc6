import type { Page } from '@playwright/test';
import { expect, expectNoAxeViolations, roomName, test } from '../fixtures';

const NEW_VERSION = 'A new version of Parley is available';
const BUILD_META = /(<meta name="parley-build" content=")([^"]+)(")/;

/**
 * Makes the page load as yesterday's tab would: today's index.html with another build id in its
 * parley-build meta (the page's own build, which it compares with the server's). Every script is
 * still the one the server serves; only the build the page believes it runs differs.
 */
async function loadAsBuild(page: Page, build: string): Promise<void> {
  await page.route(
    (url) => url.pathname === '/' || url.pathname.startsWith('/rooms'),
    async (route) => {
      const response = await route.fetch();
      const html = await response.text();
      const today = BUILD_META.exec(html)?.[2];
      expect(today, 'the served index.html names its build').toMatch(/^[0-9a-f]{12}$/);
      expect(today).not.toBe(build);
      await route.fulfill({ response, body: html.replace(BUILD_META, `$1${build}$3`) });
    },
  );
  await page.reload();
}

test("a tab still running yesterday's build is offered a reload, which brings today's", async ({ alice }) => {
  const { page, chat } = alice;
  await loadAsBuild(page, 'yesterday00');
  const banner = page.getByRole('status').filter({ hasText: NEW_VERSION });
  await expect(banner).toBeVisible();
  await expect(banner.getByRole('button', { name: 'Reload' })).toBeVisible();
  await expectNoAxeViolations(page, 'the update banner');
  // Yesterday's tab keeps working meanwhile.
  await chat.createRoom(roomName('still works'));

  // The deploy is done: reloading loads today's build, and the banner is gone for good.
  await page.unrouteAll();
  await banner.getByRole('button', { name: 'Reload' }).click();
  await expect(chat.rooms).toBeVisible();
  await chat.createRoom(roomName('after reload')); // a socket round trip, so server:info has arrived
  await expect(page.getByText(NEW_VERSION)).toHaveCount(0);
});

test("a tab of today's build never shows the banner", async ({ bob }) => {
  const { page, chat } = bob;
  // room:create goes over the socket: its ack comes after the server:info sent on connect.
  await chat.createRoom(roomName('today'));
  await expect(page.getByText(NEW_VERSION)).toHaveCount(0);
  await page.reload();
  await expect(chat.rooms).toBeVisible();
  await chat.createRoom(roomName('today again'));
  await expect(page.getByText(NEW_VERSION)).toHaveCount(0);
});
