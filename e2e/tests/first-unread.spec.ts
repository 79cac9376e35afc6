import { expect, roomName, test } from '../fixtures';
import { seedManyMessages, seedMessages } from '../seed';

const range = (label: string, count: number) => Array.from({ length: count }, (_, i) => `${label} ${i + 1}.`);

test('a room with 30 unread opens at the first of them, under `New messages`, not at the bottom', async ({ alice, bob, baseURL }) => {
  const busy = roomName('busy');
  const quiet = roomName('quiet');
  const roomId = await alice.chat.createRoom(busy);
  await seedMessages(baseURL!, alice.token, roomId, range('Read before', 20));
  await bob.chat.joinFromList(busy);
  await expect(bob.chat.message('Read before 20.')).toBeVisible();
  await bob.chat.createRoom(quiet);

  // Other clientMsgIds than the first batch's (seedMessages numbers its own from 0), one at a time, in order.
  await seedManyMessages(baseURL!, alice.token, roomId, 30, (i) => `Unread ${i + 1}.`, { sockets: 1, inFlight: 1 });
  await expect(bob.chat.unreadBadge(30)).toBeVisible();

  await bob.chat.openRoom(busy);
  const separator = bob.chat.messages.getByRole('separator', { name: 'New messages' });
  await expect(separator).toBeInViewport();
  await expect(bob.chat.message('Unread 1.')).toBeInViewport();
  await expect(bob.chat.message('Unread 30.')).not.toBeInViewport();
  await expect(bob.page.getByRole('button', { name: 'Jump to first unread' })).toBeHidden();

  // Away from it, a button brings it back; the separator stays while the room is open, read or not.
  await bob.page.getByRole('button', { name: 'Jump to newest' }).click();
  await expect(bob.chat.message('Unread 30.')).toBeInViewport();
  await expect(bob.chat.rooms.getByRole('img', { name: /unread/ })).toHaveCount(0);
  await bob.page.getByRole('button', { name: 'Jump to first unread' }).click();
  await expect(separator).toBeInViewport();
  await expect(bob.chat.message('Unread 1.')).toBeInViewport();

  // Read now: the room opens at its newest again, without the separator.
  await bob.page.reload();
  await expect(bob.chat.message('Unread 30.')).toBeInViewport();
  await expect(bob.chat.messages.getByRole('separator', { name: 'New messages' })).toHaveCount(0);
});
