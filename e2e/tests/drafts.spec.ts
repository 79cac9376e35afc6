import type { Page } from '@playwright/test';
import { expect, roomName, test } from '../fixtures';

/** The draft IndexedDB holds for a room (the app writes it as it is typed), or null. */
function keptDraft(page: Page, userId: string, roomId: string): Promise<string | null> {
  return page.evaluate(
    ([name, key]) =>
      new Promise<string | null>((resolve, reject) => {
        const open = indexedDB.open(name!);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('drafts')) {
            db.close();
            return resolve(null);
          }
          const get = db.transaction('drafts').objectStore('drafts').get(key!);
          get.onsuccess = () => {
            db.close();
            resolve((get.result as { text: string } | undefined)?.text ?? null);
          };
          get.onerror = () => reject(get.error);
        };
      }),
    [`parley-outbox-${userId}`, roomId],
  );
}

test('a half-typed draft is kept per room, through room switches and a reload, until it is sent', async ({ alice }) => {
  const first = roomName('drafts');
  const second = roomName('elsewhere');
  const firstId = await alice.chat.createRoom(first);
  await alice.chat.createRoom(second);

  await alice.chat.openRoom(first);
  await alice.chat.composer.fill('half a thou');
  await alice.chat.openRoom(second);
  await expect(alice.chat.composer).toHaveValue('');
  await alice.chat.composer.fill('another room, another draft');
  await alice.chat.openRoom(first);
  await expect(alice.chat.composer).toHaveValue('half a thou');

  await expect.poll(() => keptDraft(alice.page, alice.user.id, firstId)).toBe('half a thou');
  await alice.page.reload();
  await expect(alice.chat.composer).toHaveValue('half a thou');
  await alice.chat.openRoom(second);
  await expect(alice.chat.composer).toHaveValue('another room, another draft');

  await alice.chat.openRoom(first);
  await alice.chat.composer.press('End');
  await alice.chat.composer.pressSequentially('ght.');
  await alice.chat.composer.press('Enter');
  await expect(alice.chat.message('half a thought.')).toBeVisible();
  await expect(alice.chat.composer).toHaveValue('');
  await expect.poll(() => keptDraft(alice.page, alice.user.id, firstId)).toBeNull();
  await alice.page.reload();
  await expect(alice.chat.message('half a thought.')).toBeVisible();
  await expect(alice.chat.composer).toHaveValue('');
});
