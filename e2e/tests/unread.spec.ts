import { expect, roomName, test } from '../fixtures';

test('the unread badge counts up while bob is elsewhere and clears when he opens the room', async ({ alice, bob }) => {
  const busy = roomName('busy');
  const quiet = roomName('quiet');
  await alice.chat.createRoom(busy);
  await bob.chat.joinFromList(busy);
  await bob.chat.createRoom(quiet);

  await alice.chat.send('one');
  await expect(bob.chat.unreadBadge(1)).toBeVisible();
  await alice.chat.send('two');
  await alice.chat.send('three');
  await expect(bob.chat.unreadBadge(3)).toBeVisible();

  // It survives a reload: the server counts from bob's read marker.
  await bob.page.reload();
  await expect(bob.chat.unreadBadge(3)).toBeVisible();

  await bob.chat.openRoom(busy);
  await expect(bob.chat.message('three')).toBeVisible();
  await expect(bob.chat.rooms.getByRole('img', { name: /unread/ })).toHaveCount(0);

  // Read while looking: a new message in the open room does not count as unread, then or after a reload.
  await alice.chat.send('four');
  await expect(bob.chat.message('four')).toBeVisible();
  await expect(bob.chat.rooms.getByRole('img', { name: /unread/ })).toHaveCount(0);
  await bob.page.reload();
  await expect(bob.chat.message('four')).toBeVisible();
  await expect(bob.chat.rooms.getByRole('img', { name: /unread/ })).toHaveCount(0);
});
