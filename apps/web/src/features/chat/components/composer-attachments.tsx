import { useRef, type ClipboardEvent } from 'react';
import { isInlineImageType, type MessageFile } from '@parley/protocol';
import { FileIcon, PaperclipIcon } from '../../../lib/icons';
import { thumbnailUrl } from '../api/files.api';
import { attachFiles, useAttachments, useAttachmentsStore, type Attachment } from '../attachments.store';
import { fileTypeLabel, formatFileSize } from '../file-format';
import './composer-attachments.css';

/**
 * The files of one composer (`key`: a room's id, or `thread:<rootId>`), uploaded to `roomId` as
 * they are added: the `Attach file` button, paste of files, the list under the composer, and what
 * sending needs to know.
 */
export function useComposerAttachments(key: string, roomId: string) {
  const attachments = useAttachments(key);
  const notice = useAttachmentsStore((s) => s.notices[key]);
  const picker = useRef<HTMLInputElement>(null);
  const uploading = attachments.some((a) => a.status === 'uploading');
  const failed = attachments.some((a) => a.status === 'failed');
  const files = attachments.flatMap((a) => (a.status === 'done' && a.file ? [a.file] : []));

  const attachButton = (
    <>
      <button type="button" className="icon composer__attach" onClick={() => picker.current?.click()} title="Attach file">
        <PaperclipIcon label="Attach file" />
      </button>
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        onChange={(e) => {
          attachFiles(key, roomId, [...(e.target.files ?? [])]);
          e.target.value = ''; // the same file can be picked again
        }}
      />
    </>
  );

  /**
   * Files on the clipboard (a screenshot, an image copied in a browser) are attached; text pastes as
   * usual, also when an office app puts a picture of that text beside it.
   */
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const pasted = [...event.clipboardData.files];
    if (pasted.length === 0 || event.clipboardData.getData('text/plain') !== '') return;
    event.preventDefault();
    attachFiles(key, roomId, pasted, { pasted: true });
  };

  const list = (
    <AttachmentList
      attachments={attachments}
      notice={notice}
      uploading={uploading}
      onRemove={(id) => useAttachmentsStore.getState().remove(key, id)}
    />
  );

  return {
    attachButton,
    onPaste,
    list,
    /** The uploaded files, to send: only when none is uploading or refused. */
    files,
    uploading,
    failed,
    /** Sent: the attachments leave the composer. */
    clear: () => useAttachmentsStore.getState().clear(key),
  };
}

function AttachmentList({
  attachments,
  notice,
  uploading,
  onRemove,
}: {
  attachments: Attachment[];
  notice: string | undefined;
  uploading: boolean;
  onRemove: (id: string) => void;
}) {
  if (attachments.length === 0 && !notice) return null;
  return (
    <div className="attachments">
      {attachments.length > 0 && (
        <ul className="attachments__list" aria-label="Attachments">
          {attachments.map((a) => (
            <AttachmentItem key={a.id} attachment={a} onRemove={() => onRemove(a.id)} />
          ))}
        </ul>
      )}
      <p role="status" className="muted small attachments__status">
        {uploading ? 'Uploading…' : ''}
      </p>
      {notice && (
        <p role="alert" className="error small">
          {notice}
        </p>
      )}
    </div>
  );
}

function AttachmentItem({ attachment: a, onRemove }: { attachment: Attachment; onRemove: () => void }) {
  const preview = a.file && isInlineImageType(a.file.type) && a.file.width !== null ? a.file : undefined;
  return (
    <li aria-label={a.name} className={`attachment attachment--${a.status}`}>
      {preview ? (
        <Preview file={preview} />
      ) : (
        <span className="attachment__icon">
          <FileIcon />
        </span>
      )}
      <span className="attachment__body">
        <span className="attachment__name" title={a.name}>
          {a.name}
        </span>
        {a.status === 'uploading' ? (
          <span
            role="progressbar"
            aria-label={a.name}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={a.progress}
            className="attachment__progress"
          >
            <span style={{ width: `${a.progress}%` }} />
          </span>
        ) : (
          <span className="muted small">
            {a.type ? fileTypeLabel(a.type) : 'File'}, {formatFileSize(a.size)}
          </span>
        )}
        {a.status === 'failed' && (
          <span role="alert" className="error small">
            {a.error}
          </span>
        )}
      </span>
      <button type="button" className="link" onClick={onRemove}>
        {a.status === 'uploading' ? 'Cancel' : 'Remove'}
      </button>
    </li>
  );
}

function Preview({ file }: { file: MessageFile }) {
  return <img className="attachment__preview" src={thumbnailUrl(file.id)} alt="" width={40} height={40} />;
}
