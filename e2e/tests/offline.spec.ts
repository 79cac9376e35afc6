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

test('three messages written offline survive a reload and each lands exactly once, in order', async ({ alice, bob }) => {
  const name = roomName('reload');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  await alice.chat.send('are you there?');
  await expect(bob.chat.message('are you there?')).toBeVisible();

  // From here bob's browser cannot reach Parley's socket (WebSocket or long-polling) until `reachable`.
  let reachable = true;
  await bob.context.routeWebSocket(/\/socket\.io\//, (ws) => (reachable ? ws.connectToServer() : ws.close()));
  await bob.context.route(/\/socket\.io\//, (route) => (reachable ? route.continue() : route.abort()));
  // WebSocket routes take effect in documents loaded after them.
  await bob.page.reload();
  await expect(bob.chat.message('are you there?')).toBeVisible();
  await expect(bob.chat.status).toHaveText('Connected');
  reachable = false;
  await bob.context.setOffline(true);
  await expect(bob.chat.status).toContainText(/offline/i);

  const typed = ['offline one', 'offline two', 'offline three'];
  for (const text of typed) await bob.chat.send(text);
  for (const text of typed) await expect(bob.chat.message(text)).toContainText('Sending…');

  // The network is back but Parley is not: the page is reloaded while its socket cannot connect. The three
  // are read back from IndexedDB and shown as pending, in the order they were typed.
  await bob.context.setOffline(false);
  await expect(bob.chat.status).toContainText(/reconnecting/i);
  for (const text of typed) await expect(bob.chat.message(text)).toContainText('Sending…');
  await bob.page.reload();
  await expect(bob.chat.composer).toBeVisible();
  await expect.poll(() => bob.chat.texts()).toEqual(['are you there?', ...typed]);
  for (const text of typed) await expect(bob.chat.message(text)).toContainText('Sending…');
  await expect(bob.chat.status).not.toHaveText('Connected');

  // bob's browser drops and regains its network, as a laptop waking up does, now with Parley reachable.
  await bob.context.setOffline(true);
  reachable = true;
  await bob.context.setOffline(false);
  const expected = ['are you there?', ...typed];
  await expect.poll(() => alice.chat.texts(), { timeout: 15_000 }).toEqual(expected);
  await expect.poll(() => bob.chat.texts()).toEqual(expected);
  for (const text of typed) await expect(bob.chat.message(text)).not.toContainText('Sending…');

  // Stored exactly once each: a fresh load from the server's history shows the same.
  await bob.page.reload();
  await expect.poll(() => bob.chat.texts()).toEqual(expected);
  await alice.page.reload();
  await expect.poll(() => alice.chat.texts()).toEqual(expected);
});
