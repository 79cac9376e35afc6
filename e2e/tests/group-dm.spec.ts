import { dmRoomId } from '@parley/protocol';
import { expect, test } from '../fixtures';

test('alice opens a group DM with bob and carol from New message; all three see it and talk', async ({ alice, bob, carol }) => {
  await alice.chat.openConversation([bob.username, carol.username]);
  // Named by the others, sorted (the server names a DM for each of its members).
  const heading = alice.page.getByRole('heading', { level: 1 });
  await expect(heading).toContainText(`${bob.username}, ${carol.username}`);
  const roomId = dmRoomId(alice.user.id, bob.user.id, carol.user.id);
  expect(alice.chat.roomIdFromUrl()).toBe(roomId);
  // Listed under Direct messages with a group marker, not one person's presence.
  const aliceEntry = alice.chat.roomItem(`${bob.username}, ${carol.username}`);
  await expect(aliceEntry.getByRole('img', { name: 'Group of 3' })).toBeVisible();
  await alice.chat.send('hello you two');

  // bob and carol see it listed live, under the names of the other two.
  await bob.chat.openRoom(`${alice.username}, ${carol.username}`);
  expect(bob.chat.roomIdFromUrl()).toBe(roomId);
  await expect(bob.chat.message('hello you two')).toBeVisible();
  await bob.chat.send('hi alice and carol');

  await carol.chat.openRoom(`${alice.username}, ${bob.username}`);
  await expect(carol.chat.message('hello you two')).toBeVisible();
  await expect(carol.chat.message('hi alice and carol')).toBeVisible();
  await carol.chat.send('hi both');

  await expect(alice.chat.message('hi alice and carol')).toBeVisible();
  await expect(alice.chat.message('hi both')).toBeVisible();
  await expect(bob.chat.message('hi both')).toBeVisible();

  // Opening the same people again is the same conversation.
  await alice.page.goto('/');
  await alice.chat.openConversation([carol.username, bob.username]);
  expect(alice.chat.roomIdFromUrl()).toBe(roomId);
  await expect(alice.chat.message('hi both')).toBeVisible();
});
