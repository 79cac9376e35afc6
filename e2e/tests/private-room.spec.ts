import { expect, roomName, test } from '../fixtures';

test('a private room is invisible to outsiders until invited', async ({ alice, bob, carol }) => {
  const name = roomName('secret');
  const roomId = await alice.chat.createRoom(name, { private: true });
  await alice.chat.send('only for invited eyes');

  // carol does not see it in her list, and its URL shows "Room not found", never the room.
  await expect(carol.chat.roomLink(name)).toHaveCount(0);
  await carol.page.goto(`/rooms/${encodeURIComponent(roomId)}`);
  await expect(carol.page.getByRole('heading', { name: 'Room not found' })).toBeVisible();
  await expect(carol.page.getByText('only for invited eyes')).toHaveCount(0);

  // alice invites bob; bob gets it live and can chat.
  await alice.page.getByRole('button', { name: 'Invite' }).click();
  await alice.chat.findPeople(`Invite to ${name}`, bob.username);
  await expect(alice.page.getByRole('dialog').getByRole('status')).toContainText(`Invited ${bob.username}`);
  await alice.page.keyboard.press('Escape');

  await bob.chat.roomLink(name).click();
  await bob.page.getByRole('button', { name: 'Join' }).click();
  await expect(bob.chat.message('only for invited eyes')).toBeVisible();
  await bob.chat.send('thanks for the invite');
  await expect(alice.chat.message('thanks for the invite')).toBeVisible();

  // carol still cannot see it, even after a reload.
  await carol.page.reload();
  await expect(carol.page.getByRole('heading', { name: 'Room not found' })).toBeVisible();
  await expect(carol.chat.roomLink(name)).toHaveCount(0);
});
