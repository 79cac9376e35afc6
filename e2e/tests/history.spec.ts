import { expect, roomName, test } from '../fixtures';
import { seedMessages } from '../seed';

test('scrolling up pages older messages in order with no duplicates', async ({ alice, baseURL }) => {
  const name = roomName('archive');
  const roomId = await alice.chat.createRoom(name);
  const texts = Array.from({ length: 150 }, (_, i) => `history message ${String(i + 1).padStart(3, '0')}`);
  await seedMessages(baseURL!, alice.token, roomId, texts);

  await alice.page.reload();
  await expect(alice.chat.message('history message 150')).toBeVisible();
  // Only the newest page is loaded at first.
  await expect(alice.chat.message('history message 001')).toHaveCount(0);

  const log = alice.chat.messages;
  await expect(async () => {
    await log.evaluate((el) => el.scrollTo({ top: 0 }));
    await expect(alice.chat.message('history message 001')).toBeAttached({ timeout: 1_000 });
  }).toPass();
  await expect(alice.page.getByText('This is the beginning of the room.')).toBeVisible();
  expect(await alice.chat.texts()).toEqual(texts);
});

test('loading older messages keeps the reader in place', async ({ alice, baseURL }) => {
  const roomId = await alice.chat.createRoom(roomName('anchor'));
  await seedMessages(
    baseURL!,
    alice.token,
    roomId,
    Array.from({ length: 120 }, (_, i) => `anchored ${i + 1}`),
  );
  await alice.page.reload();
  await expect(alice.chat.message('anchored 120')).toBeVisible();
  await expect(alice.chat.message('anchored 70')).toHaveCount(0);

  await alice.chat.messages.evaluate((el) => el.scrollBy({ top: -el.scrollTop }));
  await expect(alice.chat.message('anchored 21')).toBeAttached();
  // The page arrived above what was on screen: the reader still sees message 71, not message 21.
  await expect(alice.chat.message('anchored 71')).toBeInViewport();
  await expect(alice.chat.message('anchored 21')).not.toBeInViewport();
});
