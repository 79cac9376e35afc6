import { expect, roomName, test, expectNoAxeViolations } from '../fixtures';
import { ChatPage } from '../pages/chat.page';
import { SettingsPage } from '../pages/settings.page';

test('bob changes his display name in Settings; alice sees it live on his message, in her DM list and in @ suggestions', async ({
  alice,
  bob,
}) => {
  const name = roomName('profile');
  await alice.chat.createRoom(name);
  await expect(bob.chat.roomLink(name)).toBeVisible();
  await bob.chat.joinFromList(name);
  await bob.chat.openRoom(name);
  await bob.chat.send('a message from bob');
  await bob.chat.send('and another one');
  await expect(alice.chat.message('and another one')).toBeVisible();
  // Two in a row from bob: one name over both.
  await expect(alice.chat.message('a message from bob').locator('.message__author')).toHaveText(bob.username);
  await expect(alice.chat.message('and another one').locator('.message__author')).toHaveCount(0);

  // A DM with bob, listed under his name.
  await alice.chat.openConversation([bob.username]);
  await expect(alice.chat.roomLink(bob.username)).toBeVisible();
  await alice.chat.openRoom(name);
  await expect(alice.chat.message('a message from bob')).toBeVisible();

  const settings = new SettingsPage(bob.page);
  await settings.open();
  await expectNoAxeViolations(bob.page, '/settings');
  await settings.setDisplayName('Bob the Builder');
  await expect(bob.page.getByText('Signed in as Bob the Builder')).toBeVisible();

  // alice, without reloading: his message, her DM with him, and the @ completion.
  await expect(alice.chat.message('a message from bob').locator('.message__author')).toHaveText('Bob the Builder');
  await expect(alice.chat.roomLink('Bob the Builder')).toBeVisible();
  await alice.chat.composer.fill(`@${bob.username.slice(0, 4)}`);
  const suggestions = alice.page.getByRole('listbox', { name: 'Mention suggestions' });
  await expect(suggestions.getByRole('option', { name: new RegExp(`@${bob.username}.*Bob the Builder`) })).toBeVisible();

  // Cleared: shown by his username again.
  await settings.setDisplayName('', bob.username);
  await expect(alice.chat.message('a message from bob').locator('.message__author')).toHaveText(bob.username);
});

test('changing the password signs out bob’s other browser; the new password signs in', async ({ bob, browser, baseURL }) => {
  const other = await browser.newContext({ baseURL });
  try {
    const page = await other.newPage();
    await page.goto('/');
    await page.getByRole('textbox', { name: 'Username' }).fill(bob.username);
    await page.getByRole('textbox', { name: 'Password' }).fill(bob.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const otherChat = new ChatPage(page);
    await expect(otherChat.rooms).toBeVisible();

    const settings = new SettingsPage(bob.page);
    await settings.open();
    await settings.password.getByLabel('Current password').fill('not my password');
    await settings.password.getByLabel('New password').fill('a brand new password');
    await settings.password.getByRole('button', { name: 'Change password' }).click();
    await expect(settings.password.getByRole('alert')).toHaveText('The current password is wrong.');
    await expect(otherChat.rooms).toBeVisible();

    await settings.changePassword(bob.password, 'a brand new password');
    // The other browser shows the sign-in page by itself; this one stays signed in.
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(otherChat.rooms).toBeHidden();
    await bob.page.reload();
    await expect(bob.chat.rooms).toBeVisible();

    await page.getByRole('textbox', { name: 'Username' }).fill(bob.username);
    await page.getByRole('textbox', { name: 'Password' }).fill(bob.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText('Wrong username or password');
    await page.getByRole('textbox', { name: 'Password' }).fill('a brand new password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(otherChat.rooms).toBeVisible();
    await expectNoAxeViolations(page);
  } finally {
    await other.close();
  }
});

test('bob deletes his account: his browser shows the sign-in page, his messages stay as Deleted user, his username stays taken', async ({
  alice,
  bob,
}) => {
  const name = roomName('farewell');
  await alice.chat.createRoom(name);
  await expect(bob.chat.roomLink(name)).toBeVisible();
  await bob.chat.joinFromList(name);
  await bob.chat.openRoom(name);
  await bob.chat.send('goodbye, all');
  await expect(alice.chat.message('goodbye, all')).toBeVisible();

  const settings = new SettingsPage(bob.page);
  await settings.open();
  await settings.deleteAccount.getByRole('button', { name: 'Delete account' }).click();
  const dialog = bob.page.getByRole('dialog', { name: 'Delete account' });
  await dialog.getByLabel('Password').fill('not my password');
  await dialog.getByRole('button', { name: 'Delete account' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('The password is wrong.');
  await dialog.getByLabel('Password').fill(bob.password);
  await dialog.getByRole('button', { name: 'Delete account' }).click();
  await expect(bob.page.getByRole('button', { name: 'Sign in' })).toBeVisible();

  await alice.page.reload();
  await expect(alice.chat.message('goodbye, all').locator('.message__author')).toHaveText('Deleted user');

  // The username stays taken; the old password signs nobody in.
  await bob.page.getByRole('textbox', { name: 'Username' }).fill(bob.username);
  await bob.page.getByRole('textbox', { name: 'Password' }).fill(bob.password);
  await bob.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(bob.page.getByRole('alert')).toContainText('Wrong username or password');
  await bob.page.getByRole('textbox', { name: 'Username' }).fill(bob.username);
  await bob.page.getByRole('textbox', { name: 'Password' }).fill('another good password');
  await bob.page.getByRole('button', { name: 'Create account' }).click();
  await expect(bob.page.getByText('That username is taken. Try another.')).toBeVisible();
});
