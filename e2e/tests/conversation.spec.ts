import { expect, roomName, test } from '../fixtures';

test('alice edits and bob sees the new text and its versions, live', async ({ alice, bob }) => {
  const name = roomName('edits');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  await alice.chat.send('see you at 5');
  await expect(bob.chat.message('see you at 5')).toBeVisible();

  await alice.chat.edit('see you at 5', 'see you at 6');
  await expect(bob.chat.message('see you at 6')).toBeVisible();
  await expect(bob.chat.messages.getByText('see you at 5')).toHaveCount(0);

  // Only the author may edit: bob gets no Edit button on alice's message.
  await bob.chat.message('see you at 6').hover();
  await expect(bob.chat.message('see you at 6').getByRole('button', { name: 'Add reaction' })).toBeVisible();
  await expect(bob.chat.message('see you at 6').getByRole('button', { name: 'Edit', exact: true })).toHaveCount(0);

  await bob.chat.message('see you at 6').getByRole('button', { name: 'edited' }).click();
  const versions = bob.page.getByRole('dialog', { name: 'Versions' });
  await expect(versions.getByRole('listitem')).toHaveCount(2);
  await expect(versions.getByRole('listitem').first()).toContainText('see you at 5');
  await expect(versions.getByRole('listitem').last()).toContainText('see you at 6');
  await bob.page.keyboard.press('Escape');
  await expect(versions).toHaveCount(0);

  // The Up arrow in the empty composer edits my last message; Escape leaves it as it was.
  await alice.chat.composer.press('ArrowUp');
  const box = alice.page.getByRole('textbox', { name: 'Edit message' });
  await expect(box).toHaveValue('see you at 6');
  await box.press('Escape');
  await expect(box).toHaveCount(0);
  await expect(alice.chat.message('see you at 6')).toBeVisible();
});

test('alice deletes a message and both see the tombstone', async ({ alice, bob }) => {
  const name = roomName('deletes');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  await alice.chat.send('my password is hunter2');
  await alice.chat.send('oops');
  await expect(bob.chat.message('my password is hunter2')).toBeVisible();

  await alice.chat.delete('my password is hunter2');
  for (const person of [alice, bob]) {
    await expect(person.chat.messages.getByText('This message was deleted')).toBeVisible();
    await expect(person.chat.messages.getByText('hunter2')).toHaveCount(0);
  }
  // Gone for good: a fresh load from the server shows the tombstone too.
  await bob.page.reload();
  await expect(bob.chat.messages.getByText('This message was deleted')).toBeVisible();
  await expect(bob.page.getByText('hunter2')).toHaveCount(0);
  await expect.poll(() => bob.chat.texts()).toEqual(['This message was deleted', 'oops']);
});

test('bob reacts and alice sees the count, pressed for bob only; toggling removes it', async ({ alice, bob }) => {
  const name = roomName('reactions');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  await alice.chat.send('ship it?');
  await expect(bob.chat.message('ship it?')).toBeVisible();

  await bob.chat.react('ship it?', 'thumbs up', '👍');
  await expect(bob.chat.reaction('ship it?', '👍', 1)).toHaveAttribute('aria-pressed', 'true');
  await expect(alice.chat.reaction('ship it?', '👍', 1)).toHaveAttribute('aria-pressed', 'false');

  // alice adds hers by clicking the toggle: 2, pressed for her too.
  await alice.chat.reaction('ship it?', '👍', 1).click();
  await expect(alice.chat.reaction('ship it?', '👍', 2)).toHaveAttribute('aria-pressed', 'true');
  await expect(bob.chat.reaction('ship it?', '👍', 2)).toHaveAttribute('aria-pressed', 'true');

  // bob takes his back.
  await bob.chat.reaction('ship it?', '👍', 2).click();
  await expect(alice.chat.reaction('ship it?', '👍', 1)).toHaveAttribute('aria-pressed', 'true');
  await expect(bob.chat.reaction('ship it?', '👍', 1)).toHaveAttribute('aria-pressed', 'false');
});

test('alice and bob talk in a thread while carol sees only the reply count', async ({ alice, bob, carol }) => {
  const name = roomName('threads');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  await carol.chat.joinFromList(name);
  await alice.chat.send('release plan for friday');
  await expect(carol.chat.message('release plan for friday')).toBeVisible();

  await alice.chat.messageAction('release plan for friday', 'Reply in thread');
  await expect(alice.chat.thread).toBeVisible();
  await expect(alice.chat.thread.getByRole('article').first()).toContainText('release plan for friday');
  await alice.chat.reply('I can take the changelog');

  await bob.chat.message('release plan for friday').getByRole('button', { name: '1 reply' }).click();
  await expect(bob.chat.thread.getByText('I can take the changelog')).toBeVisible();
  await bob.chat.reply('I will tag the build');
  await expect(alice.chat.thread.getByText('I will tag the build')).toBeVisible();

  // carol sees the count on the root, and no reply in the room's main view.
  await expect(carol.chat.message('release plan for friday').getByRole('button', { name: '2 replies' })).toBeVisible();
  await expect(carol.chat.messages.getByText('I will tag the build')).toHaveCount(0);
  await expect(carol.chat.messages.getByText('I can take the changelog')).toHaveCount(0);
  expect(await carol.chat.texts()).toEqual(['release plan for friday']);
  await expect(carol.chat.thread).toHaveCount(0);

  // A reload keeps alice's thread open, with both replies once each.
  await alice.page.reload();
  await expect(alice.chat.thread.getByRole('article')).toHaveCount(3);
});
