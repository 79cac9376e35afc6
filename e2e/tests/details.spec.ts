import { expect, roomName, test } from '../fixtures';

// The details that make Parley read finished: who invited you (and a way to say no), a question
// before leaving, a room list that shows and follows activity, and a home page with its landmarks.

test('bob sees who invited him, with Join and Decline; declining withdraws the invitation', async ({ alice, bob }) => {
  const name = roomName('secret');
  await alice.chat.createRoom(name, { private: true });
  await alice.page.getByRole('button', { name: 'Invite' }).click();
  await alice.chat.findPeople(`Invite to ${name}`, bob.username);
  await expect(alice.page.getByRole('dialog').getByRole('status')).toContainText(`Invited ${bob.username}`);
  await alice.page.keyboard.press('Escape');

  // Live, in bob's list: the invitation and who sent it.
  await expect(bob.chat.roomSection('Invitations').getByRole('listitem')).toContainText(`${alice.username} invited you`);
  await bob.chat.roomLink(name).click();
  const main = bob.page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1 })).toHaveText(`You are invited to ${name}`);
  await expect(main).toContainText(`${alice.username} invited you`);
  await expect(main.getByRole('button', { name: 'Join' })).toBeVisible();

  await main.getByRole('button', { name: 'Decline' }).click();
  await expect(bob.page.getByRole('heading', { name: 'Welcome to Parley' })).toBeVisible();
  await expect(bob.chat.roomLink(name)).toHaveCount(0);

  // The server forgot it too: after a reload (the list loaded: bob's empty Rooms section says so), it is gone.
  await bob.page.reload();
  await expect(bob.chat.roomSection('Rooms')).toContainText('You are not in any room yet');
  await expect(bob.chat.roomLink(name)).toHaveCount(0);
  await expect(bob.chat.roomSection('Invitations')).toHaveCount(0);
});

test('leaving a room asks first; Cancel keeps you in', async ({ alice }) => {
  const name = roomName('leavable');
  await alice.chat.createRoom(name);
  await alice.page.getByRole('button', { name: 'Leave room' }).click();
  const dialog = alice.page.getByRole('dialog', { name: `Leave ${name}?` });
  await expect(dialog).toContainText('You can join it again at any time.');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await alice.page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(alice.page.getByRole('button', { name: 'Leave room' })).toBeFocused();
  await expect(alice.chat.composer).toBeVisible();

  await alice.chat.leaveRoom(name);
  // A public room stays to browse; alice is no longer in it.
  await expect(alice.chat.roomSection('Browse').getByRole('link', { name, exact: true })).toBeVisible();
  await expect(alice.chat.roomSection('Rooms').getByRole('link', { name, exact: true })).toHaveCount(0);
});

test('the room list previews the newest message and moves a room up when one arrives', async ({ alice, bob }) => {
  const early = roomName('early');
  const later = roomName('later');
  await alice.chat.createRoom(early);
  await alice.chat.send('hello from the early room');
  await alice.chat.createRoom(later);
  await alice.chat.send('and from the later one');

  // Newest first, each with its preview and a time; the link is still named by the room alone.
  await expect.poll(() => alice.chat.roomOrder()).toEqual([later, early]);
  await expect(alice.chat.roomItem(later)).toContainText('You: and from the later one');
  await expect(alice.chat.roomItem(later).locator('time')).toBeVisible();
  await expect(alice.chat.roomLink(early)).toHaveAccessibleDescription(/^You: hello from the early room/);

  // bob writes in the early room while alice reads the later one: it moves up, live.
  await bob.chat.joinFromList(early);
  await bob.chat.send('the early room wakes up');
  await expect.poll(() => alice.chat.roomOrder()).toEqual([early, later]);
  await expect(alice.chat.roomItem(early)).toContainText(`${bob.username}: the early room wakes up`);
  await expect(alice.chat.unreadBadge(1)).toHaveAccessibleName('1 unread message');
});

test('a skip link is the first stop of the keyboard: to the content at home, to the messages in a room', async ({ alice }) => {
  // A page just opened, nothing focused yet: Tab reaches the skip link first, and shows it.
  await alice.page.keyboard.press('Tab');
  const toContent = alice.page.getByRole('link', { name: 'Skip to main content' });
  await expect(toContent).toBeFocused();
  await expect(toContent).toBeInViewport();

  // In a room the composer has the focus on arrival; the skip link is still first in the page.
  await alice.chat.createRoom(roomName('skippable'));
  await alice.chat.send('something to read');
  const skip = alice.page.getByRole('link', { name: 'Skip to messages' });
  const firstFocusable = await alice.page.evaluate(
    () => document.querySelector('a[href], button:not(:disabled), input, textarea, select, [tabindex]:not([tabindex="-1"])')?.textContent,
  );
  expect(firstFocusable).toBe('Skip to messages');
  await skip.focus();
  await expect(skip).toBeInViewport();
  await alice.page.keyboard.press('Enter');
  await expect(alice.chat.messages).toBeFocused();
});

test.describe('at 360 px', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('the home page keeps its main landmark and heading above the room list', async ({ alice }) => {
    const main = alice.page.getByRole('main');
    await expect(main).toBeVisible();
    await expect(main.getByRole('heading', { level: 1, name: 'Welcome to Parley' })).toBeVisible();
    await expect(alice.chat.rooms).toBeVisible();
    // An empty list says what to do, with the buttons to do it.
    await expect(alice.chat.roomSection('Rooms').getByRole('button', { name: 'Create a room' })).toBeVisible();
    await expect(alice.chat.roomSection('Direct messages').getByRole('button', { name: 'New message' })).toBeVisible();
    const overflow = await alice.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
