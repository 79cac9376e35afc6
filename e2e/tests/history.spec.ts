import type { Locator } from '@playwright/test';
import { expect, roomName, test } from '../fixtures';
import type { ChatPage } from '../pages/chat.page';
import { seedMessages } from '../seed';

/** Where a message's top edge is, relative to the top of the visible log (negative: above it). */
async function offsetInLog(chat: ChatPage, message: Locator): Promise<{ top: number; bottom: number; height: number }> {
  const log = await chat.messages.boundingBox();
  const box = await message.boundingBox();
  if (!log || !box) throw new Error('not laid out');
  return { top: box.y - log.y, bottom: box.y + box.height - log.y, height: log.height };
}

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

  // The list is virtualised: read it from the top down, a part of a screen at a time. Every
  // message shows up, once, in order.
  const seen: string[] = [];
  for (;;) {
    for (const text of await alice.chat.texts()) if (!seen.includes(text)) seen.push(text);
    const atBottom = await log.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 2);
    if (atBottom) break;
    await log.evaluate((el) => el.scrollBy({ top: el.clientHeight / 2 }));
    await expect.poll(() => alice.chat.texts()).not.toEqual([]);
  }
  expect(seen).toEqual(texts);
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
  // The older page arrived above what was on screen: the reader still sees message 71 at the top,
  // and message 70 sits just above the visible log instead of having pushed 71 down or away.
  await expect(alice.chat.message('anchored 70')).toBeAttached();
  await expect(alice.chat.message('anchored 71')).toBeInViewport();
  const [above, reading] = [
    await offsetInLog(alice.chat, alice.chat.message('anchored 70')),
    await offsetInLog(alice.chat, alice.chat.message('anchored 71')),
  ];
  expect(above.bottom).toBeLessThanOrEqual(reading.top + 1);
  expect(reading.top).toBeGreaterThanOrEqual(-2);
  expect(reading.top).toBeLessThan(reading.height / 2);
});
