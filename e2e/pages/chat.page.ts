import { expect, type Locator, type Page } from '@playwright/test';

/** The signed-in app: room list, chat view, composer, dialogs. */
export class ChatPage {
  readonly rooms: Locator;
  readonly messages: Locator;
  readonly composer: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.rooms = page.getByRole('navigation', { name: 'Rooms' });
    this.messages = page.getByRole('log', { name: 'Messages' });
    this.composer = page.getByRole('textbox', { name: 'Message' });
    this.status = page.getByRole('status').filter({ hasText: /connect|offline/i });
  }

  roomLink(name: string): Locator {
    return this.rooms.getByRole('link', { name, exact: true });
  }

  unreadBadge(count: number): Locator {
    return this.rooms.getByRole('img', { name: `${count} unread` });
  }

  message(text: string): Locator {
    return this.messages.getByRole('article').filter({ hasText: text });
  }

  async createRoom(name: string, { private: isPrivate = false } = {}): Promise<string> {
    await this.rooms.getByRole('button', { name: 'New room' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'New room' });
    await dialog.getByRole('textbox', { name: 'Room name' }).fill(name);
    if (isPrivate) await dialog.getByRole('checkbox', { name: 'Private' }).check();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(this.page.getByRole('heading', { level: 1 })).toContainText(name);
    await expect(this.composer).toBeFocused();
    return this.roomIdFromUrl();
  }

  roomIdFromUrl(): string {
    const match = /\/rooms\/([^/?#]+)/.exec(this.page.url());
    if (!match) throw new Error(`not in a room: ${this.page.url()}`);
    return decodeURIComponent(match[1]!);
  }

  async openRoom(name: string): Promise<void> {
    await this.roomLink(name).click();
    await expect(this.page.getByRole('heading', { level: 1 })).toContainText(name);
  }

  /** The room's entry in the list (its link, badge, presence and Join button). */
  roomItem(name: string): Locator {
    return this.rooms.getByRole('listitem').filter({ has: this.page.getByRole('link', { name, exact: true }) });
  }

  /** Opens a room from the list (a preview when not a member) and joins it. */
  async joinFromList(name: string): Promise<void> {
    await this.openRoom(name);
    await this.page.getByRole('button', { name: 'Join' }).click();
    await expect(this.composer).toBeVisible();
  }

  /** A section of the room list ('Rooms', 'Direct messages', 'Invitations', 'Browse'). */
  roomSection(title: string): Locator {
    return this.rooms.locator('section').filter({ has: this.page.getByRole('heading', { name: title, exact: true }) });
  }

  /** The names of the rooms in a section of the list, top to bottom. */
  async roomOrder(section = 'Rooms'): Promise<string[]> {
    return this.roomSection(section).getByRole('listitem').getByRole('link').allTextContents();
  }

  /** Leaves the open room, saying yes when asked. */
  async leaveRoom(name: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Leave room' }).click();
    await this.page
      .getByRole('dialog', { name: `Leave ${name}?` })
      .getByRole('button', { name: 'Leave', exact: true })
      .click();
    await expect(this.page.getByRole('heading', { name: 'Welcome to Parley' })).toBeVisible();
  }

  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.composer.press('Enter');
    await expect(this.composer).toHaveValue('');
  }

  /** The texts of the messages on screen, in order. */
  async texts(): Promise<string[]> {
    return this.messages.getByRole('article').locator('.message__text').allTextContents();
  }

  async findPeople(dialogName: string, username: string): Promise<void> {
    const dialog = this.page.getByRole('dialog', { name: dialogName });
    await dialog.getByRole('textbox', { name: 'Find people' }).fill(username);
    await dialog.getByRole('button', { name: username, exact: true }).click();
  }
}
