import type { Page } from '@playwright/test';
import { expect, roomName, test } from '../fixtures';

const payloads = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(2)</script>',
  '<svg onload=alert(3)>',
  '"><iframe src="javascript:alert(4)"></iframe>',
  '[click](javascript:alert(5)) javascript:alert(6)',
];

test('XSS payloads show as text and trigger nothing', async ({ alice, bob }) => {
  const dialogs: string[] = [];
  for (const page of [alice.page, bob.page])
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });

  const name = roomName('xss');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  await bob.chat.openRoom(name);
  for (const text of payloads) await alice.chat.send(text);
  await alice.chat.send('https://example.com/safe?q=1 is a link');

  await expect.poll(() => bob.chat.texts()).toEqual([...payloads, 'https://example.com/safe?q=1 is a link']);
  for (const page of [alice.page, bob.page]) {
    const log = page.getByRole('log', { name: 'Messages' });
    await expect(log.locator('img, script, svg, iframe')).toHaveCount(0);
    await expect(log.locator('a[href^="javascript:"]')).toHaveCount(0);
    const link = log.getByRole('link', { name: 'https://example.com/safe?q=1' });
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  }
  // A marker round-trip after the payloads: had any script run, its dialog would have come first.
  await bob.chat.send('all clear');
  await expect(alice.chat.message('all clear')).toBeVisible();
  expect(dialogs).toEqual([]);
});

/** Markdown payloads, each with a label of its own after it (in a paragraph of its own) to wait for. */
const markdownPayloads = [
  '[x](javascript:alert(11))',
  '[x](JaVaScRiPt:alert(12))',
  '<img src=x onerror=alert(13)> outside code',
  '`<img src=x onerror=alert(14)>` inside code',
  '```html\n<img src=x onerror=alert(15)><script>alert(16)</script>\n```',
  '![img](https://example.com/x.png)',
  '<javascript:alert(17)>',
  '[<svg onload=alert(18)>](https://example.com) <a href="javascript:alert(19)">a</a>',
  // Bombs: what makes naive parsers take quadratic time or nest without end (a message is at most 4000 characters).
  '*'.repeat(3980),
  '['.repeat(3980),
  '_a'.repeat(1990),
  '[a]('.repeat(995),
  `${'>'.repeat(1000)} deep`,
  `${'- '.repeat(1000)}deep`,
].map((payload, index) => ({
  payload,
  label: `payload ${String(index + 1).padStart(2, '0')} done`,
  // What a refused construct must still show: the text as typed.
  shows: { 0: payload, 1: payload, 6: payload, 12: payload }[index],
}));

/** What must never be in the messages: elements that load or run things, handlers, inline styles, odd links. */
async function unsafeMarkup(page: Page): Promise<string[]> {
  return page.getByRole('log', { name: 'Messages' }).evaluate((log) => {
    const found: string[] = [];
    for (const element of log.querySelectorAll('*')) {
      if (/^(img|script|svg|iframe|object|embed|style|form)$/i.test(element.tagName)) found.push(element.tagName);
      for (const name of element.getAttributeNames()) if (/^on/i.test(name)) found.push(`${element.tagName} ${name}`);
      const href = element.getAttribute('href');
      if (href !== null && !/^(https?:\/\/|mailto:)/i.test(href)) found.push(`href ${href}`);
    }
    for (const element of log.querySelectorAll('.message__text [style]')) found.push(`${element.tagName} style`);
    return found;
  });
}

test('Markdown renders its safe subset, and no Markdown payload runs, links anywhere odd or stalls the page', async ({ alice, bob }) => {
  const dialogs: string[] = [];
  const problems: string[] = [];
  for (const page of [alice.page, bob.page]) {
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
  }

  const name = roomName('markdown');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  await bob.chat.openRoom(name);

  // The subset, as a person sees it.
  await alice.chat.send('**bold** _italic_ ~~gone~~ `code` [the docs](https://example.com/docs)\n\n- one\n- two\n\n> quoted');
  const rich = bob.chat.message('the docs');
  await expect(rich.locator('strong')).toHaveText('bold');
  await expect(rich.locator('em')).toHaveText('italic');
  await expect(rich.locator('s')).toHaveText('gone');
  await expect(rich.getByRole('listitem')).toHaveText(['one', 'two']);
  await expect(rich.locator('blockquote')).toHaveText('quoted');
  const docs = rich.getByRole('link', { name: 'the docs' });
  await expect(docs).toHaveAttribute('href', 'https://example.com/docs');
  await expect(docs).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(docs).toHaveAttribute('target', '_blank');
  // Code is highlighted once the highlighter (a chunk of its own) has come, under the page's CSP.
  await alice.chat.send('```ts\nconst answer: number = 42;\n```\n\nhighlighted');
  await expect(bob.chat.message('highlighted').locator('pre code .hljs-keyword')).toHaveText('const');

  // Checked as each arrives: a long history keeps only what is near the screen in the page.
  for (const { payload, label, shows } of markdownPayloads) {
    await alice.chat.send(`${payload}\n\n${label}`);
    await expect(bob.chat.message(label)).toBeVisible();
    if (shows) await expect(bob.chat.message(label)).toContainText(shows);
    for (const page of [alice.page, bob.page]) expect(await unsafeMarkup(page), label).toEqual([]);
  }

  // Both pages still answer: a message sent after the bombs goes round and shows.
  await bob.chat.send('still responsive');
  await expect(alice.chat.message('still responsive')).toBeVisible();
  expect(dialogs).toEqual([]);
  expect(problems).toEqual([]);
});

test('the Content-Security-Policy stops injected markup from running, should any ever reach the page', async ({ alice }) => {
  const violations: string[] = [];
  alice.page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  // The app itself runs under the policy: nothing it does on its own is refused.
  await expect(alice.chat.rooms).toBeVisible();
  expect(violations).toEqual([]);

  // Inject, as a bug in rendering would, an inline script and an inline event handler.
  const ran = await alice.page.evaluate(async () => {
    const w = window as unknown as { ranScript?: boolean; ranHandler?: boolean };
    const script = document.createElement('script');
    script.textContent = 'window.ranScript = true';
    document.body.append(script); // an inline script runs on insertion, if allowed
    const holder = document.createElement('div');
    holder.innerHTML = '<img src="data:image/png;base64,AAAA" onerror="window.ranHandler = true">';
    const image = holder.querySelector('img')!;
    // The page's own listener sees the broken image fail, after which the inline handler would have run.
    const loaded = new Promise((resolve) => {
      image.addEventListener('error', resolve, { once: true });
      image.addEventListener('load', resolve, { once: true });
    });
    document.body.append(holder);
    await loaded;
    script.remove(); // what this test put in the page leaves with it (the page is checked for accessibility after)
    holder.remove();
    return { script: w.ranScript === true, handler: w.ranHandler === true };
  });
  expect(ran).toEqual({ script: false, handler: false });
  await expect.poll(() => violations.length).toBeGreaterThanOrEqual(2);
});
