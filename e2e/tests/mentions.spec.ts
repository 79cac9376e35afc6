import { expect, roomName, test } from '../fixtures';

test('bob, mentioned by alice in a room he is not looking at, sees the badge and the title, then the highlight', async ({ alice, bob }) => {
  const team = roomName('team');
  const elsewhere = roomName('elsewhere');
  await alice.chat.createRoom(team);
  await bob.chat.joinFromList(team);
  await bob.chat.createRoom(elsewhere);
  await expect(bob.page).toHaveTitle('Parley');

  // alice completes bob's name from the room's members, with the keyboard.
  await alice.chat.composer.pressSequentially(`can you look, @${bob.username.slice(0, 5)}`);
  const suggestions = alice.page.getByRole('listbox', { name: 'Mention suggestions' });
  await expect(alice.chat.composer).toHaveAttribute('aria-controls', (await suggestions.getAttribute('id'))!);
  await expect(suggestions.getByRole('option', { name: `@${bob.username}` })).toHaveAttribute('aria-selected', 'true');
  await alice.chat.composer.press('Enter');
  await expect(suggestions).toBeHidden();
  await expect(alice.chat.composer).toHaveValue(`can you look, @${bob.username} `);
  await alice.chat.composer.pressSequentially('at the draft?');
  await alice.chat.composer.press('Enter');
  await expect(alice.chat.message('at the draft?')).toBeVisible();

  // bob, in another room: a mention badge beside the unread count, and the title.
  const entry = bob.chat.roomItem(team);
  await expect(entry.getByRole('img', { name: '1 mention' })).toBeVisible();
  await expect(entry.getByRole('img', { name: '1 unread' })).toBeVisible();
  await expect(bob.page).toHaveTitle('(1) Parley');
  // A message without a mention adds to the unread count only.
  await alice.chat.send('no mention in this one');
  await expect(entry.getByRole('img', { name: '2 unread' })).toBeVisible();
  await expect(entry.getByRole('img', { name: '1 mention' })).toBeVisible();

  // Opening the room: the mention of him is marked in the message; the badges and the title clear.
  await bob.chat.openRoom(team);
  const mentioned = bob.chat.message('at the draft?');
  await expect(mentioned.locator('mark')).toHaveText(`@${bob.username}`);
  await expect(bob.chat.message('no mention in this one').locator('mark')).toHaveCount(0);
  await expect(bob.page).toHaveTitle('Parley');
  await expect(entry.getByRole('img')).toHaveCount(0);
  // alice, who wrote it, sees no mark.
  await expect(alice.chat.message('at the draft?').locator('mark')).toHaveCount(0);
});

test('a muted room still counts mentions, greyed and without notifications; the mute follows bob to another device', async ({
  alice,
  bob,
  browser,
  baseURL,
}) => {
  const team = roomName('muted team');
  await alice.chat.createRoom(team);
  await bob.chat.joinFromList(team);

  // Notifications, as the browser would show them, recorded; and a tab bob can hide.
  await bob.page.addInitScript(() => {
    const w = window as unknown as { shown: { title: string; body: string; open: () => void }[]; tabHidden: boolean };
    w.shown = [];
    w.tabHidden = false;
    Object.defineProperty(document, 'visibilityState', { get: () => (w.tabHidden ? 'hidden' : 'visible') });
    // The browser remembers a granted permission across page loads: so does this stand-in.
    class RecordedNotification {
      static get permission() {
        return localStorage.getItem('test.notification-permission') ?? 'default';
      }
      static async requestPermission() {
        localStorage.setItem('test.notification-permission', 'granted');
        return 'granted';
      }
      onclick: (() => void) | null = null;
      constructor(title: string, options: { body: string }) {
        w.shown.push({ title, body: options.body, open: () => this.onclick?.() });
      }
      close() {}
    }
    (window as unknown as { Notification: unknown }).Notification = RecordedNotification;
  });
  await bob.page.reload();
  await expect(bob.chat.status).toHaveText('Connected');
  await bob.page.getByRole('switch', { name: 'Desktop notifications' }).click();
  await expect(bob.page.getByRole('switch', { name: 'Desktop notifications' })).toHaveAttribute('aria-checked', 'true');
  await bob.page.getByRole('link', { name: 'Parley', exact: true }).click();
  const shown = () =>
    bob.page.evaluate(() => (window as unknown as { shown: { title: string; body: string }[] }).shown.map((n) => `${n.title}: ${n.body}`));

  // Hidden tab, a mention: a notification, which opens the room.
  await bob.page.evaluate(() => ((window as unknown as { tabHidden: boolean }).tabHidden = true));
  await alice.chat.send(`ping @${bob.username}`);
  await expect.poll(shown).toEqual([`${alice.username} in ${team}: ping @${bob.username}`]);
  // A click on it brings the tab to the front (the browser does that), and opens the room, read.
  await bob.page.evaluate(() => {
    const w = window as unknown as { shown: { open: () => void }[]; tabHidden: boolean };
    w.tabHidden = false;
    document.dispatchEvent(new Event('visibilitychange'));
    w.shown[0]!.open();
  });
  await expect(bob.page.getByRole('heading', { level: 1 })).toContainText(team);
  await expect(bob.page).toHaveTitle('Parley');

  // Muted: no notification, the badge greyed, the mention still counted.
  await bob.page.getByRole('button', { name: 'Mute' }).click();
  await expect(bob.page.getByRole('button', { name: 'Mute' })).toHaveAttribute('aria-pressed', 'true');
  await bob.page.getByRole('link', { name: 'Parley', exact: true }).click();
  await bob.page.evaluate(() => ((window as unknown as { tabHidden: boolean }).tabHidden = true));
  await alice.chat.send(`again @${bob.username}`);
  const entry = bob.chat.roomItem(team);
  await expect(entry.getByRole('img', { name: '1 mention' })).toBeVisible();
  await expect(entry).toHaveClass(/room-entry--muted/);
  await expect(bob.page).toHaveTitle('(1) Parley');
  expect(await shown()).toHaveLength(1);

  // bob's other device: the room is muted there too, from the server.
  const other = await browser.newContext({ baseURL, storageState: await bob.context.storageState() });
  try {
    const page = await other.newPage();
    await page.goto('/');
    const item = page
      .getByRole('navigation', { name: 'Rooms' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('link', { name: team, exact: true }) });
    await expect(item).toHaveClass(/room-entry--muted/);
    await expect(page).toHaveTitle('(1) Parley');
  } finally {
    await other.close();
  }
});
