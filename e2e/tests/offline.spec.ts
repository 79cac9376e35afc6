import { expect, roomName, test } from '../fixtures';

test('bob catches up after being offline, and his offline message is delivered exactly once', async ({ alice, bob }) => {
  const name = roomName('flaky');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  await bob.chat.openRoom(name);
  await alice.chat.send('before the outage');
  await expect(bob.chat.message('before the outage')).toBeVisible();

  await bob.context.setOffline(true);
  await expect(bob.chat.status).toContainText(/offline/i);

  const missed = Array.from({ length: 5 }, (_, i) => `while bob was away ${i + 1}`);
  for (const text of missed) await alice.chat.send(text);
  await expect(alice.chat.message(missed[4]!)).toBeVisible();

  // bob writes while offline: shown at once, as pending.
  await bob.chat.send('sent from the tunnel');
  await expect(bob.chat.message('sent from the tunnel')).toContainText('Sending…');

  await bob.context.setOffline(false);
  await expect(bob.chat.status).not.toContainText(/offline|reconnecting/i);

  const expected = ['before the outage', ...missed, 'sent from the tunnel'];
  await expect.poll(() => bob.chat.texts()).toEqual(expected);
  await expect(bob.chat.message('sent from the tunnel')).not.toContainText('Sending…');
  await expect.poll(() => alice.chat.texts()).toEqual(expected);

  // Exactly once, also after a reload from the server's stored history.
  await bob.page.reload();
  await expect.poll(() => bob.chat.texts()).toEqual(expected);
});
