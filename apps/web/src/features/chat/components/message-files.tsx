import { useState } from 'react';
import { isInlineImageType, type MessageFile } from '@parley/protocol';
import { Dialog } from '../../../lib/dialog';
import { FileIcon } from '../../../lib/icons';
import { fileUrl, thumbnailUrl } from '../api/files.api';
import { fileTypeLabel, formatFileSize, thumbnailSize } from '../file-format';
import './message-files.css';

/** An image shown inline: a raster type the server read the size of. */
function isInlineImage(file: MessageFile): file is MessageFile & { width: number; height: number } {
  return isInlineImageType(file.type) && file.width !== null && file.height !== null;
}

/**
 * The files of a message: images as thumbnails (sized from the file's dimensions before they load,
 * so the list does not move), each opening full size in a dialog; other files as download links
 * that say their name, type and size.
 */
export function MessageFiles({ files }: { files: readonly MessageFile[] }) {
  const [open, setOpen] = useState<MessageFile | null>(null);
  if (files.length === 0) return null;
  return (
    <>
      <ul className="message-files" aria-label="Files">
        {files.map((file) => (
          <li key={file.id}>
            {isInlineImage(file) ? <ImageThumbnail file={file} onOpen={() => setOpen(file)} /> : <FileLink file={file} />}
          </li>
        ))}
      </ul>
      {open && <ImageDialog file={open} onClose={() => setOpen(null)} />}
    </>
  );
}

function ImageThumbnail({ file, onOpen }: { file: MessageFile & { width: number; height: number }; onOpen: () => void }) {
  const size = thumbnailSize(file.width, file.height);
  return (
    <button
      type="button"
      className="message-files__thumbnail"
      onClick={onOpen}
      title={`${file.name}, ${formatFileSize(file.size)}: open full size`}
    >
      <img src={thumbnailUrl(file.id)} alt={file.name} width={size.width} height={size.height} loading="lazy" decoding="async" />
    </button>
  );
}

function FileLink({ file }: { file: MessageFile }) {
  const details = `${fileTypeLabel(file.type)}, ${formatFileSize(file.size)}`;
  // The label is the text shown, as one phrase (screen readers would otherwise read the parts apart).
  return (
    <a className="message-files__link" href={fileUrl(file.id)} download={file.name} aria-label={`${file.name}, ${details}`}>
      <FileIcon />
      <span className="message-files__name">{file.name}</span>
      <span className="message-files__details muted small">{details}</span>
    </a>
  );
}

function ImageDialog({ file, onClose }: { file: MessageFile; onClose: () => void }) {
  return (
    <Dialog title={file.name} onClose={onClose} className="dialog--image">
      <img
        className="image-dialog__image"
        src={fileUrl(file.id)}
        alt={file.name}
        width={file.width ?? undefined}
        height={file.height ?? undefined}
      />
      <p className="image-dialog__actions">
        <span className="muted small">
          {fileTypeLabel(file.type)}, {formatFileSize(file.size)}
        </span>
        <a className="image-dialog__download" href={fileUrl(file.id)} download={file.name}>
          Download
        </a>
      </p>
    </Dialog>
  );
}
