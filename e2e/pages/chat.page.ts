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

  /**
   * Opens a room from the list. Other tests' rooms arrive in the list all the time and move it (newest
   * activity first), so a click can land between two layouts; it is tried again until the room opens.
   */
  async openRoom(name: string): Promise<void> {
    const heading = this.page.getByRole('heading', { level: 1 });
    await expect(async () => {
      await this.roomLink(name).click();
      await expect(heading).toContainText(name, { timeout: 2_000 });
    }).toPass({ timeout: 15_000 });
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

  /** Hovers a message (its actions show on hover and on focus) and presses one of its action buttons. */
  async messageAction(text: string, action: 'Edit' | 'Delete' | 'Add reaction' | 'Reply in thread', within?: Locator): Promise<void> {
    const article = (within ?? this.messages).getByRole('article').filter({ hasText: text });
    await article.hover();
    await article.getByRole('button', { name: action, exact: true }).click();
  }

  /** Edits one of my messages in place and saves with Enter. */
  async edit(text: string, newText: string, within?: Locator): Promise<void> {
    await this.messageAction(text, 'Edit', within);
    const box = this.page.getByRole('textbox', { name: 'Edit message' });
    await box.fill(newText);
    await box.press('Enter');
    await expect(box).toHaveCount(0);
  }

  /** Deletes a message, saying yes when asked. */
  async delete(text: string): Promise<void> {
    await this.messageAction(text, 'Delete');
    const dialog = this.page.getByRole('dialog').filter({ has: this.page.getByRole('button', { name: 'Delete', exact: true }) });
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(dialog).toHaveCount(0);
  }

  /** Reacts to a message with an emoji chosen in the picker (searched by its name, e.g. 'thumbs up'). */
  async react(text: string, search: string, emoji: string): Promise<void> {
    await this.messageAction(text, 'Add reaction');
    const picker = this.page.getByRole('dialog', { name: 'Add reaction' });
    await picker.getByRole('searchbox').fill(search);
    await picker
      .getByRole('button', { name: new RegExp(`^${emoji}`, 'u') })
      .first()
      .click();
    await expect(picker).toHaveCount(0);
  }

  /** A reaction toggle under a message, named `<emoji> <count>`. */
  reaction(text: string, emoji: string, count: number): Locator {
    return this.message(text).getByRole('button', { name: `${emoji} ${count}`, exact: true });
  }

  /** The open thread panel. */
  get thread(): Locator {
    return this.page.getByRole('complementary', { name: 'Thread' });
  }

  /** Sends a reply in the open thread. */
  async reply(text: string): Promise<void> {
    const box = this.thread.getByRole('textbox', { name: 'Reply' });
    await box.fill(text);
    await box.press('Enter');
    await expect(box).toHaveValue('');
  }

  /** The open Members panel (a `complementary` landmark beside the room). */
  get members(): Locator {
    return this.page.getByRole('complementary', { name: 'Members' });
  }

  /** Opens the Members panel from the room's header, once its first page is in. */
  async openMembers(): Promise<void> {
    await this.page.getByRole('button', { name: 'Members', exact: true }).click();
    await expect(this.members.getByRole('listitem').first()).toBeVisible();
  }

  /** A member's row in the Members panel: avatar, name, role badge, presence, the actions I may take. */
  member(name: string): Locator {
    return this.members
      .getByRole('listitem')
      .filter({ has: this.page.locator('.member__name', { hasText: new RegExp(`^${name}$`, 'u') }) });
  }

  /** Presses one of a member's actions in the Members panel; a ban is confirmed in its dialog. */
  async memberAction(name: string, action: 'Make admin' | 'Remove admin' | 'Remove' | 'Ban'): Promise<void> {
    await this.member(name).getByRole('button', { name: action, exact: true }).click();
    if (action !== 'Ban') return;
    const dialog = this.page.getByRole('dialog', { name: `Ban ${name}?` });
    await dialog.getByRole('button', { name: 'Ban', exact: true }).click();
    await expect(dialog).toHaveCount(0);
  }

  /** The room's topic, on one line under its name in the header. */
  get topic(): Locator {
    return this.page.locator('.chat__header .chat__topic');
  }

  /** Sets the open room's name and topic in the Room settings dialog (owners and admins). */
  async roomSettings({ name, topic }: { name?: string; topic?: string }): Promise<void> {
    await this.page.getByRole('button', { name: 'Room settings' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Room settings' });
    if (name !== undefined) await dialog.getByRole('textbox', { name: 'Name' }).fill(name);
    if (topic !== undefined) await dialog.getByRole('textbox', { name: 'Topic' }).fill(topic);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toHaveCount(0);
  }

  /**
   * `New message` with these people (one: a DM; several: a group DM): each found and picked as a
   * chip, then `Open`; waits for the conversation to open.
   */
  async openConversation(usernames: readonly string[]): Promise<void> {
    await this.rooms.getByRole('button', { name: 'New message' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'New message' });
    const search = dialog.getByRole('textbox', { name: 'Find people' });
    for (const username of usernames) {
      await search.fill(username);
      await dialog.getByRole('button', { name: username, exact: true }).click();
      await expect(dialog.getByRole('list', { name: 'To' }).getByText(username, { exact: true })).toBeVisible();
    }
    await dialog.getByRole('button', { name: 'Open' }).click();
    await expect(dialog).toBeHidden();
  }

  async findPeople(dialogName: string, username: string): Promise<void> {
    const dialog = this.page.getByRole('dialog', { name: dialogName });
    await dialog.getByRole('textbox', { name: 'Find people' }).fill(username);
    await dialog.getByRole('button', { name: username, exact: true }).click();
  }

  /** The room's composer form: its `Attach file` button, its attachments, its `Send`. */
  get composerForm(): Locator {
    return this.page.locator('form').filter({ has: this.composer });
  }

  /** A file under the composer (a list item named by the file's name). */
  attachment(name: string | RegExp): Locator {
    return this.composerForm.getByRole('listitem', { name });
  }

  /** Picks files with `Attach file` (the browser's file chooser). */
  async attachFiles(files: Array<{ name: string; mimeType: string; buffer: Buffer }>): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await this.composerForm.getByRole('button', { name: 'Attach file' }).click();
    await (await chooser).setFiles(files);
  }

  /** Pastes a small PNG made in the page (a canvas, no name: as a screenshot from the clipboard) into the composer. */
  async pasteImage(): Promise<void> {
    await this.composer.evaluate(async (box) => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 48;
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#3355ff';
      context.fillRect(0, 0, 64, 48);
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
      const clipboard = new DataTransfer();
      clipboard.items.add(new File([blob], '', { type: 'image/png' }));
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
    });
  }
}
