import { dmRoomId } from '@parley/protocol';
import { expect, test } from '../fixtures';

test('alice and bob talk in a DM whose id is the sorted user ids; carol cannot open it', async ({ alice, bob, carol }) => {
  await alice.chat.openConversation([bob.username]);
  await expect(alice.page.getByRole('heading', { level: 1 })).toContainText(bob.username);

  const roomId = dmRoomId(alice.user.id, bob.user.id);
  expect(alice.chat.roomIdFromUrl()).toBe(roomId);
  await alice.chat.send('psst, bob');

  // bob sees the DM listed under alice's name, live, and answers.
  await bob.chat.roomLink(alice.username).click();
  expect(bob.chat.roomIdFromUrl()).toBe(roomId);
  await expect(bob.chat.message('psst, bob')).toBeVisible();
  await bob.chat.send('hi alice');
  await expect(alice.chat.message('hi alice')).toBeVisible();
  // bob is online, as alice's list shows.
  await expect(alice.chat.roomItem(bob.username).getByRole('img', { name: 'online' })).toBeVisible();

  await carol.page.goto(`/rooms/${encodeURIComponent(roomId)}`);
  await expect(carol.page.getByRole('heading', { name: 'Room not found' })).toBeVisible();
  await expect(carol.page.getByText('psst, bob')).toHaveCount(0);
});
