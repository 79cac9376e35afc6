import { randomBytes } from 'node:crypto';
import { expect, expectNoAxeViolations, roomName, test } from '../fixtures';
import { SettingsPage } from '../pages/settings.page';
import { seedMessages } from '../seed';

// Every screen a person meets, wide and narrow, with no axe violation (WCAG 2.1 A/AA and best practices).
// The persona fixtures check whatever page is left open after each test too; here each screen is named.
const WIDTHS = [
  { label: '1280 px', viewport: { width: 1280, height: 800 } },
  { label: '360 px', viewport: { width: 360, height: 740 } },
];

for (const { label, viewport } of WIDTHS) {
  test.describe(`accessibility at ${label}`, () => {
    test.use({ viewport });

    test('the sign-in page, signed out', async ({ page }) => {
      await page.goto('/');
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
      await expectNoAxeViolations(page, `the sign-in page at ${label}`);
    });

    test('the home page', async ({ alice }) => {
      // The fixture waits for the room list; narrow screens show only that on the home page.
      await expect(alice.chat.rooms.getByRole('button', { name: 'New room' })).toBeVisible();
      await expectNoAxeViolations(alice.page, `the home page at ${label}`);
    });

    test('a room with messages', async ({ alice, baseURL }) => {
      const roomId = await alice.chat.createRoom(roomName('accessible'));
      await seedMessages(baseURL!, alice.token, roomId, ['hello there', 'a link: https://example.com', 'the last one']);
      await expect(alice.chat.message('the last one')).toBeVisible();
      await expectNoAxeViolations(alice.page, `a room at ${label}`);
    });

    test('a room with files: attachments under the composer, a sent image and PDF, the image opened', async ({ alice }) => {
      await alice.chat.createRoom(roomName('accessible files'));
      await alice.chat.attachFiles([{ name: 'minutes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\nminutes') }]);
      await alice.chat.pasteImage();
      await expect(alice.chat.attachment('minutes.pdf')).toContainText('PDF');
      await expect(alice.chat.attachment(/^Pasted image/)).toContainText('PNG image');
      await expectNoAxeViolations(alice.page, `attachments under the composer at ${label}`);
      await alice.chat.composer.press('Enter');
      await expect(alice.chat.messages.getByRole('link', { name: /^minutes\.pdf, PDF/ })).toBeVisible();
      await alice.chat.messages.getByRole('img', { name: /^Pasted image/ }).click();
      await expect(alice.page.getByRole('dialog', { name: /^Pasted image/ })).toBeVisible();
      await expectNoAxeViolations(alice.page, `an image opened full size at ${label}`);
    });

    test('the new-room dialog', async ({ alice }) => {
      await alice.chat.rooms.getByRole('button', { name: 'New room' }).click();
      await expect(alice.page.getByRole('dialog', { name: 'New room' })).toBeVisible();
      await expectNoAxeViolations(alice.page, `the new-room dialog at ${label}`);
    });

    test('the new-message dialog with a search result', async ({ alice, request }) => {
      // Someone to find, registered from a request context of its own (alice stays signed in).
      const username = `zed_${randomBytes(4).toString('hex')}`;
      const res = await request.post('/api/auth/register', { data: { username, password: 'a good long password' } });
      expect(res.status()).toBe(201);
      await alice.chat.rooms.getByRole('button', { name: 'New message' }).click();
      const dialog = alice.page.getByRole('dialog', { name: 'New message' });
      await dialog.getByRole('textbox', { name: 'Find people' }).fill(username);
      await expect(dialog.getByRole('button', { name: username, exact: true })).toBeVisible();
      await expectNoAxeViolations(alice.page, `the new-message dialog at ${label}`);
      // A person picked shows as a chip, and Open is offered.
      await dialog.getByRole('button', { name: username, exact: true }).click();
      await expect(dialog.getByRole('button', { name: `Remove ${username}` })).toBeVisible();
      await expectNoAxeViolations(alice.page, `the new-message dialog with a person picked at ${label}`);
    });

    test('the account page and its delete dialog', async ({ alice }) => {
      const settings = new SettingsPage(alice.page);
      await settings.open();
      await expect(settings.displayName.getByRole('textbox', { name: 'Display name' })).toBeVisible();
      await expectNoAxeViolations(alice.page, `the account page at ${label}`);
      const overflow = await alice.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await settings.deleteAccount.getByRole('button', { name: 'Delete account' }).click();
      await expect(alice.page.getByRole('dialog', { name: 'Delete account' }).getByLabel('Password')).toBeFocused();
      await expectNoAxeViolations(alice.page, `the delete-account dialog at ${label}`);
    });
  });
}
