import type { Page } from '@playwright/test';
import { expect, roomName, test } from '../fixtures';

function searchBox(page: Page) {
  return page.getByRole('search').getByRole('searchbox', { name: 'Search messages' });
}

test('alice on node A mentions bob, who is in another room on node B: the badge and the title; his search finds it and opens it', async ({
  alice,
  bob,
}) => {
  const team = roomName('team');
  const elsewhere = roomName('elsewhere');
  await alice.chat.createRoom(team);
  await bob.chat.joinFromList(team);
  await bob.chat.createRoom(elsewhere);
  await expect(bob.page).toHaveTitle('Parley');

  await alice.chat.send(`@${bob.username} the quarterly numbers are in`);
  await alice.chat.send('no mention in this one');

  const entry = bob.chat.roomItem(team);
  await expect(entry.getByRole('img', { name: '1 mention' })).toBeVisible();
  await expect(entry.getByRole('img', { name: '2 unread' })).toBeVisible();
  await expect(bob.page).toHaveTitle('(1) Parley');

  // Search on node B, from the other room: the message alice sent on node A, opened at its place.
  await bob.page.keyboard.press('Control+K');
  await expect(searchBox(bob.page)).toBeFocused();
  await searchBox(bob.page).fill('quarterly numbers');
  const result = bob.page.getByRole('search').getByRole('list', { name: 'Search results' }).getByRole('link');
  await expect(result).toHaveCount(1);
  await expect(result).toContainText(team);
  await expect(result).toContainText(alice.username);
  await result.click();

  await expect(bob.page.getByRole('heading', { level: 1 })).toContainText(team);
  const highlighted = bob.chat.messages.locator('article[aria-current="true"]');
  await expect(highlighted).toContainText('the quarterly numbers are in');
  await expect(highlighted.locator('mark')).toHaveText(`@${bob.username}`);
  await expect(bob.page).toHaveTitle('Parley');
  await expect(entry.getByRole('img')).toHaveCount(0);
});
