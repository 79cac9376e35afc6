import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LIMITS } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pastedImageName, useAttachmentsStore } from '../src/features/chat/attachments.store';
import { useChatStore } from '../src/features/chat/chat.store';
import { Composer } from '../src/features/chat/components/composer';
import { FakeXhr, storedFile } from './support/fake-xhr';
import { renderAs } from './support/message-support';

beforeEach(() => {
  FakeXhr.install();
  useChatStore.getState().reset();
  useAttachmentsStore.getState().reset();
});
afterEach(() => vi.unstubAllGlobals());

const pdf = (name = 'report.pdf', size = 2048) => new File([new Uint8Array(size)], name, { type: 'application/pdf' });

function renderComposer() {
  const onSend = vi.fn();
  const view = renderAs(<Composer roomId="r_1" onSend={onSend} />);
  const picker = view.container.querySelector<HTMLInputElement>('input[type="file"]')!;
  return { ...view, onSend, picker, attach: (...files: File[]) => userEvent.upload(picker, files) };
}

const send = () => screen.getByRole('button', { name: 'Send' });

describe('attaching files in the composer', () => {
  it('opens the file picker from Attach file, which takes several files', async () => {
    const { picker } = renderComposer();
    const click = vi.spyOn(picker, 'click');
    await userEvent.click(screen.getByRole('button', { name: 'Attach file' }));
    expect(click).toHaveBeenCalled();
    expect(picker).toHaveAttribute('multiple');
  });

  it('shows each upload with its progress, then its type and size, and sends the text with the file ids', async () => {
    const { attach, onSend } = renderComposer();
    await attach(pdf('report.pdf', 10 * 1024 * 1024));
    const item = screen.getByRole('listitem', { name: 'report.pdf' });
    const bar = within(item).getByRole('progressbar', { name: 'report.pdf' });
    expect(bar).toHaveAttribute('aria-valuenow', '0');
    expect(FakeXhr.last().url).toBe('/api/rooms/r_1/files?name=report.pdf');
    act(() => FakeXhr.last().progress(5 * 1024 * 1024, 10 * 1024 * 1024));
    expect(bar).toHaveAttribute('aria-valuenow', '50');
    // Sending waits for the upload, and says so.
    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), 'the report{Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect(send()).toBeDisabled();
    expect(screen.getByRole('status')).toHaveTextContent('Uploading…');

    await act(async () => FakeXhr.last().respond(201, { file: storedFile({ size: 10 * 1024 * 1024 }) }));
    expect(within(item).queryByRole('progressbar')).toBeNull();
    expect(item).toHaveTextContent('PDF, 10.0 MB');
    await userEvent.click(send());
    expect(onSend).toHaveBeenCalledWith('the report', [storedFile({ size: 10 * 1024 * 1024 })]);
    expect(screen.queryByRole('listitem')).toBeNull();
  });

  it('sends files without text, but never an empty message without files', async () => {
    const { attach, onSend } = renderComposer();
    expect(send()).toBeDisabled();
    await attach(pdf());
    await act(async () => FakeXhr.last().respond(201, { file: storedFile() }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), '   {Enter}');
    expect(onSend).toHaveBeenCalledWith('', [storedFile()]);
  });

  it('Cancel aborts an upload and takes it away; Remove takes an uploaded one away', async () => {
    const { attach, onSend } = renderComposer();
    await attach(pdf('a.pdf'), pdf('b.pdf'));
    const [first, second] = FakeXhr.requests;
    await act(async () => second!.respond(201, { file: storedFile({ id: 'f_b', name: 'b.pdf' }) }));
    await userEvent.click(within(screen.getByRole('listitem', { name: 'a.pdf' })).getByRole('button', { name: 'Cancel' }));
    expect(first!.aborted).toBe(true);
    expect(screen.queryByRole('listitem', { name: 'a.pdf' })).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    await userEvent.click(within(screen.getByRole('listitem', { name: 'b.pdf' })).getByRole('button', { name: 'Remove' }));
    expect(screen.queryByRole('listitem')).toBeNull();
    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), '{Enter}');
    expect(onSend).not.toHaveBeenCalled();
  });

  it("shows the server's reason for a refused upload, which holds the message back until removed", async () => {
    const { attach, onSend } = renderComposer();
    await attach(pdf());
    await act(async () => FakeXhr.last().respond(429, { error: { code: 'RATE_LIMITED', message: 'Daily upload limit reached.' } }));
    expect(screen.getByRole('alert')).toHaveTextContent('report.pdf was not uploaded: Daily upload limit reached.');
    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), 'hello{Enter}');
    expect(onSend).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Remove' }));
    await userEvent.click(send());
    expect(onSend).toHaveBeenCalledWith('hello', []);
  });

  it('refuses a file over the size limit at once, without uploading it', async () => {
    const { attach } = renderComposer();
    const huge = pdf('huge.pdf', 0);
    Object.defineProperty(huge, 'size', { value: LIMITS.uploadBytesMax + 1 });
    await attach(huge);
    expect(FakeXhr.requests).toEqual([]);
    expect(screen.getByRole('alert')).toHaveTextContent('huge.pdf is too large: files can be at most 25.0 MB.');
  });

  it(`takes at most ${LIMITS.filesPerMessageMax} files per message and says so`, async () => {
    const { attach } = renderComposer();
    await attach(...Array.from({ length: LIMITS.filesPerMessageMax + 2 }, (_, i) => pdf(`f${i}.pdf`)));
    expect(screen.getAllByRole('listitem')).toHaveLength(LIMITS.filesPerMessageMax);
    expect(FakeXhr.requests).toHaveLength(LIMITS.filesPerMessageMax);
    expect(screen.getByRole('alert')).toHaveTextContent(`At most ${LIMITS.filesPerMessageMax} files per message: 2 not added.`);
  });

  it('attaches a pasted image, naming it when it has no name of its own; pasted text pastes as text, even with a picture of it', async () => {
    renderComposer();
    const box = screen.getByRole('textbox', { name: 'Message' });
    const image = new File([new Uint8Array(10)], 'image.png', { type: 'image/png' });
    fireEvent.paste(box, { clipboardData: { files: [image], getData: () => '' } });
    const name = FakeXhr.last().url.split('name=')[1]!;
    expect(decodeURIComponent(name)).toMatch(/^Pasted image \d{4}-\d\d-\d\d \d\d-\d\d\.png$/);
    expect(screen.getByRole('progressbar', { name: decodeURIComponent(name) })).toBeInTheDocument();
    fireEvent.paste(box, { clipboardData: { files: [], getData: () => 'words' } });
    // An office app's copied text comes with a picture of it: the text is what was meant.
    fireEvent.paste(box, { clipboardData: { files: [image], getData: (type: string) => (type === 'text/plain' ? 'a table' : '') } });
    expect(FakeXhr.requests).toHaveLength(1);
  });

  it('names pasted images by the time they were pasted', () => {
    expect(pastedImageName('image/jpeg', new Date(2026, 11, 3, 14, 5))).toBe('Pasted image 2026-12-03 14-05.jpg');
  });
});
