import { act, renderHook, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useChatStore } from '../src/features/chat/chat.store';
import { MessageItem } from '../src/features/chat/components/message-item';
import { fileTypeLabel, formatFileSize, thumbnailSize } from '../src/features/chat/file-format';
import { useOutbox, useSendMessage } from '../src/features/chat/hooks/use-outbox';
import { useConnectionStore } from '../src/lib/connection.store';
import { storedFile } from './support/fake-xhr';
import { message, mine } from './support/fixtures';
import { renderAs } from './support/message-support';
import { setup } from './support/render';

const photo = storedFile({ id: 'f_photo', name: 'beach.jpg', type: 'image/jpeg', size: 300_000, width: 1600, height: 1200 });
const pdf = storedFile({ id: 'f_pdf', name: 'Q3 report.pdf', type: 'application/pdf', size: 10 * 1024 * 1024 });

describe('the files of a message', () => {
  it('shows an image as its thumbnail, sized from its dimensions, named by the file name', () => {
    renderAs(<MessageItem message={message(1, { text: 'look', files: [photo] })} mine={false} />);
    const img = screen.getByRole('img', { name: 'beach.jpg' });
    expect(img).toHaveAttribute('src', '/api/files/f_photo/thumbnail');
    // 1600x1200 into the 320x240 box, before a byte of it loads.
    expect(img).toHaveAttribute('width', '320');
    expect(img).toHaveAttribute('height', '240');
  });

  it('opens the full image in a dialog named by the file, with a Download link; Escape closes it', async () => {
    renderAs(<MessageItem message={message(1, { files: [photo] })} mine={false} />);
    await userEvent.click(screen.getByRole('button', { name: 'beach.jpg' }));
    const dialog = screen.getByRole('dialog', { name: 'beach.jpg' });
    expect(within(dialog).getByRole('img', { name: 'beach.jpg' })).toHaveAttribute('src', '/api/files/f_photo');
    const download = within(dialog).getByRole('link', { name: 'Download' });
    expect(download).toHaveAttribute('href', '/api/files/f_photo');
    expect(download).toHaveAttribute('download', 'beach.jpg');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows another file as a download link saying its name, type and size', () => {
    renderAs(<MessageItem message={message(1, { files: [pdf] })} mine={false} />);
    const link = screen.getByRole('link', { name: 'Q3 report.pdf, PDF, 10.0 MB' });
    expect(link).toHaveAttribute('href', '/api/files/f_pdf');
    expect(link).toHaveAttribute('download', 'Q3 report.pdf');
  });

  it('shows an image the server could not measure, and an SVG, as links, never inline', () => {
    const unmeasured = storedFile({ id: 'f_2', name: 'odd.png', type: 'image/png', width: null, height: null });
    const svg = storedFile({ id: 'f_3', name: 'logo.svg', type: 'image/svg+xml', width: 100, height: 100 });
    renderAs(<MessageItem message={message(1, { files: [unmeasured, svg] })} mine={false} />);
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.getByRole('link', { name: /^odd\.png, PNG image/ })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /^logo\.svg, SVG image/ })).toBeInTheDocument();
  });

  it('shows only the files of a message without text, and none of a deleted one', () => {
    const { unmount } = renderAs(<MessageItem message={mine(1, { text: '', files: [pdf] })} mine />);
    const article = screen.getByRole('article');
    expect(article.querySelector('.message__text')).toBeNull();
    expect(within(article).getByRole('link', { name: /Q3 report\.pdf/ })).toBeInTheDocument();
    unmount();
    renderAs(<MessageItem message={mine(1, { text: '', deleted: true, files: [] })} mine />);
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.getByRole('article')).toHaveTextContent('This message was deleted');
  });
});

describe('file sizes, types and thumbnail boxes', () => {
  it('reads as people read them', () => {
    expect(formatFileSize(1)).toBe('1 byte');
    expect(formatFileSize(900)).toBe('900 bytes');
    expect(formatFileSize(1536)).toBe('1.5 KB');
    expect(formatFileSize(10 * 1024 * 1024)).toBe('10.0 MB');
    expect(fileTypeLabel('application/pdf')).toBe('PDF');
    expect(fileTypeLabel('image/webp')).toBe('WEBP image');
    expect(fileTypeLabel('application/x-tar')).toBe('TAR');
    expect(fileTypeLabel('')).toBe('File');
    expect(thumbnailSize(100, 50)).toEqual({ width: 100, height: 50 }); // never scaled up
    expect(thumbnailSize(4000, 1000)).toEqual({ width: 320, height: 80 });
    expect(thumbnailSize(500, 3000)).toEqual({ width: 40, height: 240 });
  });
});

describe('sending files through the outbox', () => {
  it('sends the file ids with the text, the same ones again when resent', async () => {
    useChatStore.getState().reset();
    useConnectionStore.setState({ status: 'connected', generation: 1, recovered: false });
    const ctx = setup();
    let calls = 0;
    ctx.socket.respond('message:send', (p) => {
      calls += 1;
      if (calls === 1) return { ok: false, error: { code: 'UNAVAILABLE', message: 'try again' } };
      return { ok: true, data: { message: mine(1, { text: p.text, clientMsgId: p.clientMsgId, files: [pdf] }) } };
    });
    const { result } = renderHook(
      () => {
        useOutbox();
        return useSendMessage('r_1');
      },
      { wrapper: ctx.wrapper },
    );
    act(() => result.current('', [pdf]));
    expect(useChatStore.getState().outbox[0]).toMatchObject({ text: '', files: [pdf] });
    await vi.waitFor(() => expect(useChatStore.getState().outbox).toEqual([]), { timeout: 3000 });
    const sends = ctx.socket.requests.filter((r) => r.event === 'message:send').map((r) => r.payload);
    expect(sends).toHaveLength(2);
    expect(sends[0]).toMatchObject({ text: '', fileIds: ['f_pdf'] });
    expect(sends[1]).toEqual(sends[0]);
  });
});
