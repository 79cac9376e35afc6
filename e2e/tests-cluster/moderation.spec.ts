import { expect, roomName, test } from '../fixtures';

test('alice on node A makes bob admin; bob on node B bans carol on node A: her screen loses the room live and she cannot join again', async ({
  alice,
  bob,
  carol,
}) => {
  // Three people through a moderation story on two nodes: longer than one journey's minute on a busy machine.
  test.slow();
  const name = roomName('team');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  await carol.chat.joinFromList(name);

  await bob.chat.openMembers();
  await expect(bob.chat.member(carol.username)).toBeVisible();
  await expect(bob.chat.member(carol.username).getByRole('button')).toHaveCount(0);

  // bob's panel, on the other node, gets his new role and its buttons live.
  await alice.chat.openMembers();
  await expect(alice.chat.member(bob.username).getByRole('img', { name: 'online' })).toBeVisible();
  await alice.chat.memberAction(bob.username, 'Make admin');
  await expect(alice.chat.members.getByRole('status')).toHaveText(`${bob.username} is now an admin.`);
  await expect(bob.chat.member(bob.username)).toContainText('Admin');
  await expect(bob.chat.member(carol.username).getByRole('button', { name: 'Ban' })).toBeVisible();

  await bob.chat.memberAction(carol.username, 'Ban');
  await expect(bob.chat.members.getByRole('status')).toContainText(`Banned ${carol.username}.`);
  await expect(alice.chat.member(carol.username)).toHaveCount(0);

  await expect(carol.page.getByRole('heading', { level: 1, name: 'Welcome to Parley' })).toBeVisible();
  await expect(carol.page.getByRole('main').getByRole('status')).toHaveText(`You are no longer a member of ${name}.`);
  await expect(carol.chat.roomSection('Rooms').getByRole('link', { name, exact: true })).toHaveCount(0);

  await carol.chat.openRoom(name);
  await carol.page.getByRole('button', { name: 'Join' }).click();
  await expect(carol.page.getByRole('alert')).toContainText('you are banned from this room');
  await expect(carol.chat.composer).toHaveCount(0);
});
