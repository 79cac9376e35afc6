/** Sizes as people read them: `512 bytes`, `12.3 KB`, `10.0 MB` (1 KB = 1024 bytes, as file managers count). */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)} GB`;
}

const TYPE_LABELS: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/zip': 'ZIP archive',
  'application/json': 'JSON',
  'application/octet-stream': 'File',
  'text/plain': 'Text',
  'text/csv': 'CSV',
  'text/html': 'HTML',
  'image/svg+xml': 'SVG image',
  'application/msword': 'Word document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.ms-excel': 'Excel spreadsheet',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel spreadsheet',
};

/** A media type as a short label (`PDF`, `PNG image`), else its subtype in capitals. */
export function fileTypeLabel(type: string): string {
  const known = TYPE_LABELS[type];
  if (known) return known;
  const [kind, subtype = ''] = type.split(';')[0]!.trim().split('/');
  const short = subtype
    .replace(/^(x-|vnd\.)/, '')
    .split(/[.+]/)[0]!
    .toUpperCase();
  if (!short) return 'File';
  if (kind === 'image') return `${short} image`;
  if (kind === 'video') return `${short} video`;
  if (kind === 'audio') return `${short} audio`;
  return short;
}

/** The box a thumbnail is shown in (CSS pixels): the image scaled into it, never up, so its row keeps its height while it loads. */
export const THUMBNAIL_BOX = { width: 320, height: 240 } as const;

export function thumbnailSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, THUMBNAIL_BOX.width / width, THUMBNAIL_BOX.height / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
