import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { ChatPage } from '../pages/chat.page';

test('a person creates an account, stays signed in across a reload, and signs out', async ({ page }) => {
  const username = `dana_${randomBytes(4).toString('hex')}`;
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Username' }).fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill('a good long password');
  await page.getByRole('button', { name: 'Create account' }).click();
  const chat = new ChatPage(page);
  await expect(chat.rooms).toBeVisible();
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();

  await page.reload();
  await expect(chat.rooms).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();

  await page.getByRole('textbox', { name: 'Username' }).fill(username.toUpperCase());
  await page.getByRole('textbox', { name: 'Password' }).fill('wrong password!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong username or password');
  await page.getByRole('textbox', { name: 'Password' }).fill('a good long password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(chat.rooms).toBeVisible();
});

test('an unknown room URL shows "Room not found" and the back button works', async ({ page }) => {
  const username = `erin_${randomBytes(4).toString('hex')}`;
  await page.request.post('/api/auth/register', { data: { username, password: 'a good long password' } });
  await page.goto('/');
  await page.goto('/rooms/r_doesnotexist');
  await expect(page.getByRole('heading', { name: 'Room not found' })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Welcome to Parley' })).toBeVisible();
});

test('the app is usable 360 pixels wide', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.request.post('/api/auth/register', {
    data: { username: `fay_${randomBytes(4).toString('hex')}`, password: 'a good long password' },
  });
  await page.goto('/');
  const chat = new ChatPage(page);
  await expect(chat.rooms).toBeVisible();
  const name = `narrow ${randomBytes(3).toString('hex')}`;
  await chat.createRoom(name);
  await expect(chat.rooms).toBeHidden();
  await chat.send('small screens work');
  await expect(chat.message('small screens work')).toBeVisible();
  await page.getByRole('link', { name: '← Rooms' }).click();
  await expect(chat.roomLink(name)).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});
