import { expect, roomName, test } from '../fixtures';
import { SettingsPage } from '../pages/settings.page';

test('bob changes his display name on node B; alice sees it live on node A', async ({ alice, bob }) => {
  const name = roomName('profile');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  await bob.chat.send('a message from bob');
  await expect(alice.chat.message('a message from bob').locator('.message__author')).toHaveText(bob.username);
  await alice.chat.openConversation([bob.username]);
  await expect(alice.chat.roomLink(bob.username)).toBeVisible();
  await alice.chat.openRoom(name);

  const settings = new SettingsPage(bob.page);
  await settings.open();
  await settings.setDisplayName('Bob the Builder');

  // alice, without reloading: his message and her DM with him.
  await expect(alice.chat.message('a message from bob').locator('.message__author')).toHaveText('Bob the Builder');
  await expect(alice.chat.roomLink('Bob the Builder')).toBeVisible();
});
