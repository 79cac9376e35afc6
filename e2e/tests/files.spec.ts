import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import type { Page, Route } from '@playwright/test';
import { expect, roomName, test } from '../fixtures';

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const UPLOADS = '**/api/rooms/*/files?**';

/** Holds the uploads the page makes until `release` (so a test sees an upload while it runs). */
async function holdUploads(page: Page) {
  const held: Route[] = [];
  let arrived: () => void = () => undefined;
  const first = new Promise<void>((resolve) => (arrived = resolve));
  await page.route(UPLOADS, (route) => {
    held.push(route);
    arrived();
  });
  return {
    first,
    release: async () => {
      await page.unroute(UPLOADS);
      for (const route of held.splice(0)) await route.continue().catch(() => undefined); // a cancelled one is gone
    },
  };
}

test('alice pastes an image and bob sees it inline, and full size', async ({ alice, bob }) => {
  const name = roomName('paste');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);

  await alice.chat.pasteImage();
  const attachment = alice.chat.attachment(/^Pasted image \d{4}-\d\d-\d\d \d\d-\d\d\.png$/);
  await expect(attachment).toContainText('PNG image');
  // Uploaded: a preview from its thumbnail.
  await expect(attachment.locator('img')).toHaveJSProperty('complete', true);
  await alice.chat.composer.press('Enter');
  await expect(attachment).toHaveCount(0);

  const image = bob.chat.messages.getByRole('img', { name: /^Pasted image .*\.png$/ });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  // The room list previews a message of files alone as what it is, not as a deleted one.
  await expect(bob.chat.roomLink(name)).toHaveAccessibleDescription(new RegExp(`^${alice.username}: sent a file`));
  // Sized from the file before it loads: 64x48 stays 64x48 (never scaled up).
  await expect(image).toHaveAttribute('width', '64');
  await expect(image).toHaveAttribute('height', '48');

  await image.click();
  const dialog = bob.page.getByRole('dialog', { name: /^Pasted image/ });
  const full = dialog.getByRole('img', { name: /^Pasted image/ });
  await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64);
  await expect(dialog.getByRole('link', { name: 'Download' })).toBeVisible();
  await bob.page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('alice uploads a 10 MiB PDF with progress and bob downloads the same bytes', async ({ alice, bob }) => {
  const name = roomName('pdf');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(10 * MiB - 9)]);

  const uploads = await holdUploads(alice.page);
  await alice.chat.attachFiles([{ name: 'annual report.pdf', mimeType: 'application/pdf', buffer: pdf }]);
  await uploads.first;
  const progress = alice.chat.attachment('annual report.pdf').getByRole('progressbar', { name: 'annual report.pdf' });
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute('aria-valuenow', /^(\d|[1-9]\d|100)$/);
  // While it uploads, sending waits, and says so.
  await expect(alice.chat.composerForm.getByRole('button', { name: 'Send' })).toBeDisabled();
  await expect(alice.chat.composerForm.getByRole('status')).toHaveText('Uploading…');
  await uploads.release();

  await expect(alice.chat.attachment('annual report.pdf')).toContainText('PDF, 10.0 MB');
  await alice.chat.composer.fill('the report');
  await alice.chat.composerForm.getByRole('button', { name: 'Send' }).click();

  const link = bob.chat.message('the report').getByRole('link', { name: 'annual report.pdf, PDF, 10.0 MB' });
  await expect(link).toBeVisible();
  const download = bob.page.waitForEvent('download');
  await link.click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('annual report.pdf');
  const path = await file.path();
  expect(sha256(await fs.readFile(path))).toBe(sha256(pdf));
});

test('Cancel during an upload takes the file away and nothing is sent', async ({ alice, bob }) => {
  const name = roomName('cancel');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);

  const uploads = await holdUploads(alice.page);
  await alice.chat.attachFiles([{ name: 'draft.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\nnot this one') }]);
  await uploads.first;
  await expect(alice.chat.attachment('draft.pdf').getByRole('progressbar', { name: 'draft.pdf' })).toBeVisible();
  const aborted = alice.page.waitForEvent('requestfailed', (request) => request.url().includes('/files?name=draft.pdf'));
  await alice.chat.attachment('draft.pdf').getByRole('button', { name: 'Cancel' }).click();
  await aborted;
  await expect(alice.chat.attachment('draft.pdf')).toHaveCount(0);
  await uploads.release();

  // Nothing to send now: Enter in the empty composer sends nothing; the next message goes alone.
  await expect(alice.chat.composerForm.getByRole('button', { name: 'Send' })).toBeDisabled();
  await alice.chat.composer.press('Enter');
  await alice.chat.send('just text');
  await expect(bob.chat.message('just text')).toBeVisible();
  await expect(bob.chat.messages.getByRole('article')).toHaveCount(1);
  await expect(bob.chat.messages.getByRole('link', { name: /draft\.pdf/ })).toHaveCount(0);
});

test('a file dropped on the room is attached and sent', async ({ alice, bob }) => {
  const name = roomName('drop');
  await alice.chat.createRoom(name);
  await bob.chat.joinFromList(name);

  const room = alice.page.getByRole('region', { name });
  const dataTransfer = await alice.page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['%PDF-1.7\nminutes'], 'minutes.pdf', { type: 'application/pdf' }));
    return transfer;
  });
  await room.dispatchEvent('dragenter', { dataTransfer });
  await expect(alice.page.getByText('Drop files to attach them')).toBeVisible();
  await room.dispatchEvent('drop', { dataTransfer });
  await expect(alice.page.getByText('Drop files to attach them')).toHaveCount(0);
  await expect(alice.chat.attachment('minutes.pdf')).toContainText('PDF, 16 bytes');
  await alice.chat.composer.press('Enter');
  await expect(bob.chat.messages.getByRole('link', { name: 'minutes.pdf, PDF, 16 bytes' })).toBeVisible();
});
