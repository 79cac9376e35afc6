import { expect, expectNoAxeViolations, roomName, test } from '../fixtures';

test('alice makes bob admin, bob bans carol: carol loses the room live and cannot join again', async ({ alice, bob, carol }) => {
  // Three people through a whole moderation story: longer than one journey's minute on a busy machine.
  test.slow();
  const name = roomName('team');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  await carol.chat.joinFromList(name);

  // bob sees the members, with no actions yet.
  await bob.chat.openMembers();
  await expect(bob.chat.member(alice.username)).toContainText('Owner');
  await expect(bob.chat.member(carol.username)).toBeVisible();
  await expect(bob.chat.member(carol.username).getByRole('button')).toHaveCount(0);
  await expect(bob.page.getByRole('button', { name: 'Room settings' })).toHaveCount(0);

  // alice makes bob admin; her panel and bob's both show it, and bob's gets the buttons live.
  await alice.chat.openMembers();
  await expect(alice.chat.member(carol.username)).toBeVisible();
  await expect(alice.chat.member(bob.username).getByRole('img', { name: 'online' })).toBeVisible();
  await expectNoAxeViolations(alice.page, 'the Members panel');
  await alice.chat.memberAction(bob.username, 'Make admin');
  await expect(alice.chat.members.getByRole('status')).toHaveText(`${bob.username} is now an admin.`);
  await expect(alice.chat.member(bob.username)).toContainText('Admin');
  await expect(bob.chat.member(bob.username)).toContainText('Admin');
  await expect(bob.chat.member(carol.username).getByRole('button', { name: 'Ban' })).toBeVisible();
  await expect(bob.chat.member(carol.username).getByRole('button', { name: 'Remove', exact: true })).toBeVisible();
  await expect(bob.chat.member(alice.username).getByRole('button')).toHaveCount(0);
  await expect(bob.page.getByRole('button', { name: 'Room settings' })).toBeVisible();

  // bob bans carol (asked first); carol's screen loses the room at once.
  await bob.chat.member(carol.username).getByRole('button', { name: 'Ban' }).click();
  const confirm = bob.page.getByRole('dialog', { name: `Ban ${carol.username}?` });
  await expect(confirm).toBeVisible();
  await expectNoAxeViolations(bob.page, 'the Ban dialog');
  await confirm.getByRole('button', { name: 'Ban', exact: true }).click();
  await expect(bob.chat.members.getByRole('status')).toContainText(`Banned ${carol.username}.`);
  await expect(bob.chat.member(carol.username)).toHaveCount(0);
  await expect(alice.chat.member(carol.username)).toHaveCount(0);

  await expect(carol.page.getByRole('heading', { level: 1, name: 'Welcome to Parley' })).toBeVisible();
  await expect(carol.page.getByRole('main').getByRole('status')).toHaveText(`You are no longer a member of ${name}.`);
  await expect(carol.chat.composer).toHaveCount(0);
  await expect(carol.chat.roomSection('Rooms').getByRole('link', { name, exact: true })).toHaveCount(0);

  // Joining again is refused, with the server's reason.
  await carol.chat.openRoom(name);
  await carol.page.getByRole('button', { name: 'Join' }).click();
  await expect(carol.page.getByRole('alert')).toContainText('you are banned from this room');
  await expect(carol.chat.composer).toHaveCount(0);

  // Unban: carol may join again.
  await bob.chat.members.getByRole('button', { name: 'Unban' }).click();
  await expect(bob.chat.members.getByRole('status')).toContainText(`Unbanned ${carol.username}`);
  await carol.page.getByRole('button', { name: 'Join' }).click();
  await expect(carol.chat.composer).toBeVisible();
  await expect(bob.chat.member(carol.username)).toBeVisible();
});

test('alice sets the topic in Room settings and bob sees it under the name live', async ({ alice, bob }) => {
  // A topic, a refusal and a rename, each seen on two screens: more than a minute on a busy machine.
  test.slow();
  const name = roomName('launch');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  await expect(bob.chat.topic).toHaveCount(0);

  await alice.page.getByRole('button', { name: 'Room settings' }).click();
  const dialog = alice.page.getByRole('dialog', { name: 'Room settings' });
  await expect(dialog.getByRole('textbox', { name: 'Name' })).toHaveValue(name);
  await expectNoAxeViolations(alice.page, 'the Room settings dialog');
  await dialog.getByRole('textbox', { name: 'Topic' }).fill('Ship on Friday');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);

  await expect(alice.chat.topic).toHaveText('Ship on Friday');
  await expect(bob.chat.topic).toHaveText('Ship on Friday');
  await expect(bob.chat.topic).toHaveAttribute('title', 'Ship on Friday');

  // A refused change says why and stays open.
  await alice.page.getByRole('button', { name: 'Room settings' }).click();
  await dialog.getByRole('textbox', { name: 'Name' }).fill('   ');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();

  // A rename reaches bob's header and list live.
  const renamed = roomName('launched');
  await alice.chat.roomSettings({ name: renamed });
  await expect(bob.page.getByRole('heading', { level: 1 })).toContainText(renamed);
  await expect(bob.chat.roomLink(renamed)).toBeVisible();
});

test.describe('at 360 px', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('the Members panel takes the room’s place, and Close members brings the room back', async ({ alice }) => {
    await alice.chat.createRoom(roomName('narrow'));
    await alice.chat.openMembers();
    await expect(alice.chat.member(alice.username)).toContainText('Owner');
    await expect(alice.chat.messages).toHaveCount(0);
    await expect(alice.chat.members).toBeInViewport();
    await expectNoAxeViolations(alice.page, 'the Members panel at 360 px');
    await alice.chat.members.getByRole('button', { name: 'Close members' }).click();
    await expect(alice.chat.members).toHaveCount(0);
    await expect(alice.chat.messages).toBeVisible();
  });
});
