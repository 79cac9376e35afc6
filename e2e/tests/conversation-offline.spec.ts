import { expect, roomName, test } from '../fixtures';

test('bob is offline while alice edits, deletes and reacts; back online his screen matches hers without a reload', async ({
  alice,
  bob,
}) => {
  const name = roomName('missed changes');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  for (const text of ['first draft', 'to be removed', 'nice work']) await alice.chat.send(text);
  await expect(bob.chat.message('nice work')).toBeVisible();

  await bob.context.setOffline(true);
  await expect(bob.chat.status).toContainText(/offline/i);

  await alice.chat.edit('first draft', 'final version');
  await alice.chat.delete('to be removed');
  await alice.chat.react('nice work', 'party popper', '🎉');
  await alice.chat.send('after the changes');
  await expect(alice.chat.reaction('nice work', '🎉', 1)).toBeVisible();

  await bob.context.setOffline(false);
  await expect(bob.chat.status).not.toContainText(/offline|reconnecting/i);
  const expected = ['final version', 'This message was deleted', 'nice work', 'after the changes'];
  await expect.poll(() => bob.chat.texts()).toEqual(expected);
  expect(await alice.chat.texts()).toEqual(expected);
  await expect(bob.chat.reaction('nice work', '🎉', 1)).toHaveAttribute('aria-pressed', 'false');
  await expect(bob.chat.message('final version').getByRole('button', { name: 'edited' })).toBeVisible();
});

test('an edit made offline shows at once, survives a reload and applies exactly once', async ({ alice, bob }) => {
  const name = roomName('offline edit');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  await bob.chat.send('meet at noon');
  await expect(alice.chat.message('meet at noon')).toBeVisible();

  // From here bob's browser cannot reach Parley's socket (WebSocket or long-polling) until `reachable`.
  let reachable = true;
  await bob.context.routeWebSocket(/\/socket\.io\//, (ws) => (reachable ? ws.connectToServer() : ws.close()));
  await bob.context.route(/\/socket\.io\//, (route) => (reachable ? route.continue() : route.abort()));
  await bob.page.reload();
  await expect(bob.chat.message('meet at noon')).toBeVisible();
  await expect(bob.chat.status).toHaveText('Connected');
  reachable = false;
  await bob.context.setOffline(true);
  await expect(bob.chat.status).toContainText(/offline/i);

  await bob.chat.edit('meet at noon', 'meet at one');
  await expect(bob.chat.message('meet at one')).toBeVisible();

  // Reloaded while Parley is unreachable: the edit is read back from IndexedDB and still shows.
  await bob.context.setOffline(false);
  await bob.page.reload();
  await expect(bob.chat.message('meet at one')).toBeVisible();
  await expect(alice.chat.message('meet at noon')).toBeVisible();

  await bob.context.setOffline(true);
  reachable = true;
  await bob.context.setOffline(false);
  await expect(alice.chat.message('meet at one')).toBeVisible({ timeout: 15_000 });
  await expect(bob.chat.status).toHaveText('Connected');

  // Applied once: one earlier version, the current text last.
  await alice.chat.message('meet at one').getByRole('button', { name: 'edited' }).click();
  const versions = alice.page.getByRole('dialog', { name: 'Versions' });
  await expect(versions.getByRole('listitem')).toHaveCount(2);
  await alice.page.keyboard.press('Escape');
  await bob.page.reload();
  await expect.poll(() => bob.chat.texts()).toEqual(['meet at one']);
});
