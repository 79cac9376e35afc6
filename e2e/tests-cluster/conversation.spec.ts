import { expect, roomName, test } from '../fixtures';

// alice is on node A, bob on node B (playwright.cluster.config.ts): what one sees of the other went
// through PostgreSQL and Redis.

test('alice’s message on node A reaches bob on node B live; his edit, reaction and thread reply reach her live', async ({ alice, bob }) => {
  const name = roomName('across');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);

  await alice.chat.send('deploying from node A');
  await expect(bob.chat.message('deploying from node A')).toBeVisible();
  await bob.chat.send('on it from B');
  await expect(alice.chat.message('on it from B')).toBeVisible();

  await bob.chat.edit('on it from B', 'on it from node B');
  await expect(alice.chat.message('on it from node B').getByRole('button', { name: 'edited' })).toBeVisible();
  await expect(alice.chat.message('on it from B')).toHaveCount(0);

  await bob.chat.react('deploying from node A', 'thumbs up', '👍');
  await expect(alice.chat.reaction('deploying from node A', '👍', 1)).toHaveAttribute('aria-pressed', 'false');

  // alice has the thread open when bob replies in it.
  await alice.chat.messageAction('deploying from node A', 'Reply in thread');
  await expect(alice.chat.thread.getByRole('article').first()).toContainText('deploying from node A');
  await bob.chat.messageAction('deploying from node A', 'Reply in thread');
  await bob.chat.reply('the build is green');
  await expect(alice.chat.thread.getByText('the build is green')).toBeVisible();
  await expect(alice.chat.message('deploying from node A').getByRole('button', { name: '1 reply' })).toBeVisible();
});

test('an image alice pastes on node A is shown inline to bob on node B', async ({ alice, bob }) => {
  const name = roomName('pictures');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);

  await alice.chat.pasteImage();
  const attachment = alice.chat.attachment(/^Pasted image .*\.png$/);
  await expect(attachment.locator('img')).toHaveJSProperty('complete', true);
  await alice.chat.composer.press('Enter');
  await expect(attachment).toHaveCount(0);

  // Node B serves the bytes node A stored.
  const image = bob.chat.messages.getByRole('img', { name: /^Pasted image .*\.png$/ });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64);
});
