import { expect, roomName, test } from '../fixtures';

test('bob sees that alice is typing, until she sends', async ({ alice, bob }) => {
  const name = roomName('typing');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  await bob.chat.openRoom(name);

  await alice.chat.composer.pressSequentially('I am thinking');
  await expect(bob.page.getByText(`${alice.username} is typing`)).toBeVisible();
  await expect(alice.page.getByText(`${alice.username} is typing`)).toHaveCount(0);

  await alice.chat.composer.press('Enter');
  await expect(bob.chat.message('I am thinking')).toBeVisible();
  await expect(bob.page.getByText(`${alice.username} is typing`)).toHaveCount(0);
});
