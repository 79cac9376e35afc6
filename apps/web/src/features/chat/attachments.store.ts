import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { LIMITS, type MessageFile } from '@parley/protocol';
import { ApiError } from '../../lib/api';
import { uploadFile } from './api/files.api';
import { formatFileSize } from './file-format';

/** A file put under a composer: uploading, uploaded (to send by its id), or refused. */
export interface Attachment {
  /** Local id (the list's key). */
  id: string;
  name: string;
  size: number;
  type: string;
  status: 'uploading' | 'done' | 'failed';
  /** 0..100 while uploading. */
  progress: number;
  /** The stored file, once uploaded. */
  file?: MessageFile;
  /** Why it was refused (the server's reason, or the browser's own check). */
  error?: string;
}

interface AttachmentsState {
  /** By composer: a room's id, or `thread:<rootId>` for a thread's Reply composer. */
  attachments: Record<string, Attachment[]>;
  /** Why the latest files were not all added (too many), by composer, until the next change. */
  notices: Record<string, string>;
  patch(key: string, id: string, change: Partial<Attachment>): void;
  add(key: string, attachment: Attachment): void;
  /** Aborts its upload if it runs, and takes it away. */
  remove(key: string, id: string): void;
  /** The composer sent them: they leave it (their uploads are done). */
  clear(key: string): void;
  setNotice(key: string, notice: string | undefined): void;
  reset(): void;
}

/** Upload controllers stay out of the state: they are not data to render. */
const controllers = new Map<string, AbortController>();
let nextId = 0;

export const useAttachmentsStore = create<AttachmentsState>()((set) => ({
  attachments: {},
  notices: {},
  patch: (key, id, change) =>
    set((s) => ({
      attachments: { ...s.attachments, [key]: (s.attachments[key] ?? []).map((a) => (a.id === id ? { ...a, ...change } : a)) },
    })),
  add: (key, attachment) => set((s) => ({ attachments: { ...s.attachments, [key]: [...(s.attachments[key] ?? []), attachment] } })),
  remove: (key, id) => {
    controllers.get(id)?.abort();
    controllers.delete(id);
    set((s) => ({
      attachments: { ...s.attachments, [key]: (s.attachments[key] ?? []).filter((a) => a.id !== id) },
      notices: withoutKey(s.notices, key),
    }));
  },
  clear: (key) => set((s) => ({ attachments: withoutKey(s.attachments, key), notices: withoutKey(s.notices, key) })),
  setNotice: (key, notice) => set((s) => ({ notices: notice ? { ...s.notices, [key]: notice } : withoutKey(s.notices, key) })),
  reset: () => {
    for (const controller of controllers.values()) controller.abort();
    controllers.clear();
    set({ attachments: {}, notices: {} });
  },
}));

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const { [key]: _removed, ...rest } = record;
  return rest;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A name for a pasted image that has none of its own (browsers call every pasted screenshot `image.png`). */
export function pastedImageName(type: string, now = new Date()): string {
  const extension = type.split('/')[1]?.replace('jpeg', 'jpg') ?? 'png';
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return `Pasted image ${date} ${pad(now.getHours())}-${pad(now.getMinutes())}.${extension}`;
}

/**
 * Puts files under a composer and starts uploading each one to the room. At most
 * `LIMITS.filesPerMessageMax` per message: the ones beyond are not added and the composer says so.
 * A file over `LIMITS.uploadBytesMax` is refused at once, without sending a byte (the server checks again).
 */
export function attachFiles(key: string, roomId: string, files: readonly File[], { pasted = false } = {}): void {
  const store = useAttachmentsStore.getState();
  const free = LIMITS.filesPerMessageMax - (store.attachments[key]?.length ?? 0);
  const accepted = files.slice(0, Math.max(0, free));
  store.setNotice(
    key,
    accepted.length < files.length
      ? `At most ${LIMITS.filesPerMessageMax} files per message: ${files.length - accepted.length} not added.`
      : undefined,
  );
  for (const file of accepted) {
    const name = pasted && (file.name === '' || /^image\.\w+$/.test(file.name)) ? pastedImageName(file.type) : file.name;
    const id = `attachment-${++nextId}`;
    const attachment: Attachment = { id, name, size: file.size, type: file.type, status: 'uploading', progress: 0 };
    if (file.size > LIMITS.uploadBytesMax) {
      store.add(key, {
        ...attachment,
        status: 'failed',
        error: `${name} is too large: files can be at most ${formatFileSize(LIMITS.uploadBytesMax)}.`,
      });
      continue;
    }
    store.add(key, attachment);
    const controller = new AbortController();
    controllers.set(id, controller);
    uploadFile({
      roomId,
      file,
      name,
      signal: controller.signal,
      onProgress: (sent, total) => store.patch(key, id, { progress: total > 0 ? Math.floor((sent / total) * 100) : 0 }),
    })
      .then((stored) => store.patch(key, id, { status: 'done', progress: 100, file: stored, type: stored.type }))
      .catch((error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return; // Cancel took it away
        const reason = error instanceof ApiError ? error.message : 'The upload failed.';
        store.patch(key, id, { status: 'failed', error: `${name} was not uploaded: ${reason}` });
      })
      .finally(() => controllers.delete(id));
  }
}

const NONE: Attachment[] = [];

/** A composer's attachments, re-rendering only when they change. */
export function useAttachments(key: string): Attachment[] {
  return useAttachmentsStore(useShallow((s) => s.attachments[key] ?? NONE));
}
