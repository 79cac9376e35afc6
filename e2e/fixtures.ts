import { randomBytes } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Browser, type BrowserContext, type Page, type TestInfo, type ViewportSize } from '@playwright/test';
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

/** What axe checks on every page: WCAG 2.0 and 2.1, A and AA, and axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** The axe violations on the page as it is now, one readable paragraph per rule. */
export async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return violations.map((violation) =>
    [
      `${violation.id} (${violation.impact ?? 'no impact'}): ${violation.help} <${violation.helpUrl}>`,
      ...violation.nodes.flatMap((node) => [
        `  at ${node.target.join(' ')}: ${truncate(node.html, 160)}`,
        ...(node.failureSummary ?? '').split('\n').map((line) => `    ${line.trim()}`),
      ]),
    ].join('\n'),
  );
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** Fails with the list of axe violations, if there is any. */
export async function expectNoAxeViolations(page: Page, where = page.url()): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations.length, `axe violations on ${where}:\n\n${violations.join('\n\n')}\n\nviolated rules`).toBe(0);
}

/**
 * After a test, axe checks every page the persona still has open. Skipped when the test already failed
 * (its own error is the one worth reading) and for tests that opt out with `test.use({ axe: false })`.
 */
async function checkOpenPages(persona: Persona, testInfo: TestInfo): Promise<void> {
  if (testInfo.status !== testInfo.expectedStatus) return;
  for (const page of persona.context.pages()) {
    if (page.isClosed()) continue;
    await expectNoAxeViolations(page, `${persona.name}'s page ${page.url()} after "${testInfo.title}"`);
  }
}

/** A person with their own browser context, an account (unique per test) and a signed-in page. */
async function persona(browser: Browser, baseURL: string, viewport: ViewportSize | null, name: Persona['name']): Promise<Persona> {
  const context = await browser.newContext({ baseURL, viewport });
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

interface PersonaFixtures {
  alice: Persona;
  bob: Persona;
  carol: Persona;
}

/** `axe: false` turns off the accessibility check after each test (say why where you do it). */
export interface AxeOption {
  axe: boolean;
}

/**
 * Where each persona's browser goes, when not to `baseURL`: the cluster run
 * (playwright.cluster.config.ts) sends bob to one node of a deployment, alice and carol to the other.
 */
export interface PersonaURLsOption {
  personaURLs: Partial<Record<Persona['name'], string>>;
}

interface PersonaFixtureArgs {
  browser: Browser;
  baseURL: string | undefined;
  personaURLs: PersonaURLsOption['personaURLs'];
  viewport: ViewportSize | null;
  axe: boolean;
}

function personaFixture(name: Persona['name']) {
  return async (
    { browser, baseURL, personaURLs, viewport, axe }: PersonaFixtureArgs,
    use: (p: Persona) => Promise<void>,
    testInfo: TestInfo,
  ) => {
    const p = await persona(browser, personaURLs[name] ?? baseURL!, viewport, name);
    try {
      await use(p);
      if (axe) await checkOpenPages(p, testInfo);
    } finally {
      await p.context.close();
    }
  };
}

export const test = base.extend<PersonaFixtures & AxeOption & PersonaURLsOption>({
  axe: [true, { option: true }],
  personaURLs: [{}, { option: true }],
  alice: personaFixture('alice'),
  bob: personaFixture('bob'),
  carol: personaFixture('carol'),
});

export { expect };

/** A unique room name for this test. */
export function roomName(label: string): string {
  return `${label} ${randomBytes(3).toString('hex')}`;
}
