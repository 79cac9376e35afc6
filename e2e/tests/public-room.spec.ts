import { expect, roomName, test } from '../fixtures';

test('alice and bob converse live in a public room, in the same order on both screens', async ({ alice, bob }) => {
  const name = roomName('general');
  await alice.chat.createRoom(name);

  // The new public room appears in bob's list live.
  await expect(bob.chat.roomLink(name)).toBeVisible();
  await bob.chat.joinFromList(name);
  await bob.chat.openRoom(name);

  await alice.chat.send('hi bob');
  await expect(bob.chat.message('hi bob')).toBeVisible();
  await bob.chat.send('hey alice');
  await expect(alice.chat.message('hey alice')).toBeVisible();
  await alice.chat.send('line one\nline two');
  await bob.chat.send('third from bob');

  const expected = ['hi bob', 'hey alice', 'line one\nline two', 'third from bob'];
  await expect.poll(() => alice.chat.texts()).toEqual(expected);
  await expect.poll(() => bob.chat.texts()).toEqual(expected);
  await expect(alice.chat.message('hey alice')).toContainText(bob.username);
});

test('Shift+Enter adds a line and Enter sends', async ({ alice }) => {
  await alice.chat.createRoom(roomName('keys'));
  await alice.chat.composer.pressSequentially('first');
  await alice.chat.composer.press('Shift+Enter');
  await alice.chat.composer.pressSequentially('second');
  await expect(alice.chat.composer).toHaveValue('first\nsecond');
  await alice.chat.composer.press('Enter');
  await expect(alice.chat.message('first')).toContainText('second');
  await expect(alice.chat.composer).toHaveValue('');
});
