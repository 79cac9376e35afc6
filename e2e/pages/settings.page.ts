import { expect, type Locator, type Page } from '@playwright/test';

/** The account page at /settings: display name, password, deleting the account. */
export class SettingsPage {
  readonly displayName: Locator;
  readonly password: Locator;
  readonly deleteAccount: Locator;

  constructor(readonly page: Page) {
    this.displayName = page.getByRole('region', { name: 'Display name' });
    this.password = page.getByRole('region', { name: 'Change password' });
    this.deleteAccount = page.getByRole('region', { name: 'Delete account' });
  }

  /** Opens it from the `Settings` link in the top bar, as a person would. */
  async open(): Promise<void> {
    await this.page.getByRole('link', { name: 'Settings' }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  }

  /** Saves a display name; `shownAs` is what the page then says I am shown as (my username for ''). */
  async setDisplayName(name: string, shownAs = name): Promise<void> {
    await this.displayName.getByRole('textbox', { name: 'Display name' }).fill(name);
    await this.displayName.getByRole('button', { name: 'Save' }).click();
    await expect(this.displayName.getByRole('status')).toHaveText(`Saved. You are shown as ${shownAs}.`);
  }

  async changePassword(current: string, next: string): Promise<void> {
    await this.password.getByLabel('Current password').fill(current);
    await this.password.getByLabel('New password').fill(next);
    await this.password.getByRole('button', { name: 'Change password' }).click();
    await expect(this.password.getByRole('status')).toHaveText('Password changed. Your other sessions were signed out.');
  }
}
