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
    return { script: w.ranScript === true, handler: w.ranHandler === true };
  });
  expect(ran).toEqual({ script: false, handler: false });
  await expect.poll(() => violations.length).toBeGreaterThanOrEqual(2);
});
