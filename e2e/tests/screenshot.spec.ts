import path from 'node:path';
import { expect, roomName, test } from '../fixtures';

test('the chat view, as the README shows it', async ({ alice, bob }) => {
  await alice.page.setViewportSize({ width: 1100, height: 640 });
  const name = roomName('design review');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  await bob.chat.openRoom(name);
  await alice.chat.send('Morning! The new room picker is live: https://example.com/parley');
  await bob.chat.send('Looks great. Unread badges feel right.');
  await alice.chat.send('Next up: the delivery guarantee.\nNothing lost across reconnects.');
  await bob.chat.composer.pressSequentially('On it');
  await expect(alice.page.getByText(`${bob.username} is typing`)).toBeVisible();
  await alice.page.screenshot({ path: path.join(import.meta.dirname, '..', '..', 'docs', 'chat-view.png') });
});
