import type { Page } from '@playwright/test';
import { expect, roomName, test } from '../fixtures';
import { seedManyMessages, seedMessages } from '../seed';

/** The search landmark's parts, as a person finds them. */
function search(page: Page) {
  const landmark = page.getByRole('search');
  return {
    box: landmark.getByRole('searchbox', { name: 'Search messages' }),
    results: landmark.getByRole('list', { name: 'Search results' }),
  };
}

test('search finds a message in Japanese and opens the room at it, highlighted', async ({ alice, baseURL }) => {
  const name = roomName('travel');
  const roomId = await alice.chat.createRoom(name);
  await seedMessages(baseURL!, alice.token, roomId, ['東京タワーに行きました', 'Tokyo was great', '大阪城も見ました']);
  await alice.page.goto('/');
  await expect(alice.chat.rooms).toBeVisible();

  await alice.page.keyboard.press('Control+K');
  const { box, results } = search(alice.page);
  await expect(box).toBeFocused();
  await box.fill('京タワ');
  const result = results.getByRole('link');
  await expect(result).toHaveCount(1);
  await expect(result).toContainText(name);
  await expect(result).toContainText(alice.username);
  await expect(result.locator('mark')).toHaveText('京タワ');

  await result.click();
  await expect(alice.page).toHaveURL(/\/rooms\/.+\?at=1$/);
  const highlighted = alice.chat.messages.locator('article[aria-current="true"]');
  await expect(highlighted).toHaveText(/東京タワーに行きました/);
  await expect(highlighted).toBeVisible();
  await expect(results).toHaveCount(0);
});

test('search finds a message 200 messages back, pages with Load more, and opens it with the history around it', async ({
  alice,
  baseURL,
}) => {
  const roomId = await alice.chat.createRoom(roomName('haystack'));
  // Message 50 of 260: the needle, 210 messages before the newest; every message matches "straw". The first
  // 51 go one by one (so the needle and its neighbours have known seqs), the rest in parallel (fast).
  const first = await seedMessages(
    baseURL!,
    alice.token,
    roomId,
    Array.from({ length: 51 }, (_, i) => (i === 49 ? 'the golden needle, straw and all' : `straw ${i + 1}`)),
  );
  expect(first[49]).toMatchObject({ seq: 50, text: 'the golden needle, straw and all' });
  const rest = await seedManyMessages(baseURL!, alice.token, roomId, 209, (i) => `straw ${i + 52}`);
  expect(rest.at(-1)?.seq).toBe(260);
  await alice.page.goto('/');
  await expect(alice.chat.rooms).toBeVisible();

  // `/` outside a text field focuses the searchbox.
  await alice.page.locator('body').click({ position: { x: 5, y: 300 } });
  await alice.page.keyboard.press('/');
  const { box, results } = search(alice.page);
  await expect(box).toBeFocused();
  await box.fill('STRAW');
  await expect(results.getByRole('link')).toHaveCount(20);
  await alice.page.getByRole('button', { name: 'Load more' }).click();
  await expect(results.getByRole('link')).toHaveCount(40);

  await box.fill('golden needle');
  const result = results.getByRole('link');
  await expect(result).toHaveCount(1);
  // The keyboard reaches it: Down from the searchbox, Enter opens it.
  await box.press('ArrowDown');
  await expect(result).toBeFocused();
  await alice.page.keyboard.press('Enter');

  const highlighted = alice.chat.messages.locator('article[aria-current="true"]');
  await expect(highlighted).toHaveText(/the golden needle/);
  await expect(highlighted).toBeVisible();
  // The history around it is there: the messages just before and after it.
  await expect(alice.chat.message('straw 49')).toBeAttached();
  await expect(alice.chat.message('straw 51')).toBeAttached();
  await expect(alice.chat.message('straw 260')).toHaveCount(0);
});
