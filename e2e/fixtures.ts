import { randomBytes } from 'node:crypto';
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { User } from '@parley/protocol';
import { ChatPage } from './pages/chat.page';

export interface Persona {
  name: 'alice' | 'bob' | 'carol';
  username: string;
  password: string;
  user: User;
  /** Bearer token, for seeding through the API outside the browser. */
  token: string;
  context: BrowserContext;
  page: Page;
  chat: ChatPage;
}

const PASSWORD = 'correct horse battery';

/** A person with their own browser context, an account (unique per test) and a signed-in page. */
async function persona(browser: Browser, baseURL: string, name: Persona['name']): Promise<Persona> {
  const context = await browser.newContext({ baseURL });
  const username = `${name}_${randomBytes(4).toString('hex')}`;
  // The context's request shares its cookie jar: registering here signs the page in.
  const res = await context.request.post('/api/auth/register', { data: { username, password: PASSWORD } });
  expect(res.status()).toBe(201);
  const { user, token } = (await res.json()) as { user: User; token: string };
  const page = await context.newPage();
  const chat = new ChatPage(page);
  await page.goto('/');
  await expect(chat.rooms).toBeVisible();
  return { name, username, password: PASSWORD, user, token, context, page, chat };
}

export const test = base.extend<{ alice: Persona; bob: Persona; carol: Persona }>({
  alice: async ({ browser, baseURL }, use) => {
    const p = await persona(browser, baseURL!, 'alice');
    await use(p);
    await p.context.close();
  },
  bob: async ({ browser, baseURL }, use) => {
    const p = await persona(browser, baseURL!, 'bob');
    await use(p);
    await p.context.close();
  },
  carol: async ({ browser, baseURL }, use) => {
    const p = await persona(browser, baseURL!, 'carol');
    await use(p);
    await p.context.close();
  },
});

export { expect };

/** A unique room name for this test. */
export function roomName(label: string): string {
  return `${label} ${randomBytes(3).toString('hex')}`;
}
