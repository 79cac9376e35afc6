import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { createPortal } from 'react-dom';
import { EmojiPicker, type EmojiData, type EmojiPickerListCategoryHeaderProps, type EmojiPickerListEmojiProps } from 'frimousse';
// The emoji data ships with the app (hashed assets, fetched when the picker first opens): no CDN.
import dataUrl from 'emojibase-data/en/data.json?url';
import messagesUrl from 'emojibase-data/en/messages.json?url';
import { isOneEmoji } from '@parley/protocol';
import { normalizeEmoji } from './emoji';
import './emoji-picker.css';

/** Emoji newer than this are left out: too many systems draw them as empty boxes yet. */
const MAX_EMOJI_VERSION = 15;
const SKIN_TONES = ['none', 'light', 'medium-light', 'medium', 'medium-dark', 'dark'] as const;
const PICKER_SIZE = { width: 336, height: 380 };

interface EmojibaseEmoji {
  emoji: string;
  label: string;
  group?: number;
  subgroup?: number;
  version: number;
  tags?: string[];
  skins?: { emoji: string; tone?: number | number[] }[];
}
interface EmojibaseMessages {
  groups: { key: string; message: string; order: number }[];
  subgroups: { key: string; message: string; order: number }[];
  skinTones: { key: string; message: string }[];
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`Could not load the emoji (${response.status})`);
  return (await response.json()) as T;
}

/** Emojibase's dataset in the shape frimousse draws (as frimousse's own loader makes it, from our own copy). */
export function toEmojiData(emojis: readonly EmojibaseEmoji[], messages: EmojibaseMessages): EmojiData {
  const flags = messages.subgroups.filter((s) => s.key === 'country-flag' || s.key === 'subdivision-flag').map((s) => s.order);
  return {
    locale: 'en',
    categories: messages.groups.filter((g) => g.key !== 'component').map((g) => ({ index: g.order, label: capitalize(g.message) })),
    skinTones: Object.fromEntries(messages.skinTones.map((t) => [t.key, capitalize(t.message)])) as EmojiData['skinTones'],
    emojis: emojis
      // Only what a reaction may be (CONTRACT.md: one pictographic grapheme; keycaps such as #️⃣ are not).
      .filter((e) => e.group !== undefined && e.version <= MAX_EMOJI_VERSION && isOneEmoji(normalizeEmoji(e.emoji)))
      .map((e) => {
        const skins = e.skins?.filter((s): s is { emoji: string; tone: number } => typeof s.tone === 'number');
        return {
          emoji: e.emoji,
          category: e.group!,
          version: e.version,
          label: capitalize(e.label),
          tags: e.tags ?? [],
          countryFlag: e.subgroup !== undefined && flags.includes(e.subgroup) ? true : undefined,
          skins: skins?.length
            ? (Object.fromEntries(skins.map((s) => [SKIN_TONES[s.tone], s.emoji])) as EmojiData['emojis'][number]['skins'])
            : undefined,
        };
      }),
  };
}

let loaded: Promise<EmojiData> | undefined;
function resolveEmojiData(): Promise<EmojiData> {
  loaded ??= Promise.all([fetchJson<EmojibaseEmoji[]>(dataUrl), fetchJson<EmojibaseMessages>(messagesUrl)])
    .then(([emojis, messages]) => toEmojiData(emojis, messages))
    .catch((error: unknown) => {
      loaded = undefined; // the next opening tries again
      throw error;
    });
  return loaded;
}

function CategoryHeader({ category, ...props }: EmojiPickerListCategoryHeaderProps) {
  return (
    <div {...props} className="emoji-picker__category">
      {category.label}
    </div>
  );
}

/** Each emoji a button named `<emoji> <label>` (so `👍 Thumbs up`), in a grid cell. */
function Emoji({
  emoji,
  role: _role,
  'aria-colindex': column,
  'aria-selected': selected,
  'aria-label': _label,
  ...props
}: EmojiPickerListEmojiProps) {
  return (
    <div role="gridcell" aria-colindex={column} aria-selected={selected} className="emoji-picker__cell">
      <button type="button" {...props} className="emoji-picker__emoji" aria-label={`${normalizeEmoji(emoji.emoji)} ${emoji.label}`.trim()}>
        {emoji.emoji}
      </button>
    </div>
  );
}

/** Below the button that opened it (above when there is no room below), inside the window. */
function placeNear(anchor: HTMLElement | null): CSSProperties {
  const margin = 8;
  const { innerWidth, innerHeight } = window;
  const rect = anchor?.getBoundingClientRect();
  if (!rect) return { top: margin, left: margin };
  const left = Math.max(margin, Math.min(rect.right - PICKER_SIZE.width, innerWidth - PICKER_SIZE.width - margin));
  const below = rect.bottom + 4;
  const top = below + PICKER_SIZE.height + margin <= innerHeight ? below : Math.max(margin, rect.top - 4 - PICKER_SIZE.height);
  return { top, left };
}

/**
 * The emoji picker (frimousse, headless), a popup named `Add reaction`: type to search, arrows to
 * move, Enter or a click to choose; Escape (the focus goes back to the button that opened it) or a
 * click outside closes it. Loaded on demand (React.lazy), with its data, when first opened.
 */
export default function EmojiPickerPopup({
  anchor,
  onSelect,
  onClose,
}: {
  anchor: HTMLElement | null;
  onSelect: (emoji: string) => void;
  onClose: () => void;
}) {
  const popup = useRef<HTMLDivElement>(null);
  const [position] = useState(() => placeNear(anchor));

  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      if (!popup.current?.contains(event.target as Node) && !anchor?.contains(event.target as Node)) onClose();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      onClose();
      anchor?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [anchor, onClose]);

  return createPortal(
    <div ref={popup} role="dialog" aria-label="Add reaction" className="emoji-picker" style={position}>
      <EmojiPicker.Root
        className="emoji-picker__root"
        columns={8}
        resolveEmojiData={resolveEmojiData}
        onEmojiSelect={({ emoji }) => onSelect(normalizeEmoji(emoji))}
      >
        <EmojiPicker.Search className="emoji-picker__search" aria-label="Search emoji" placeholder="Search emoji" autoFocus />
        <EmojiPicker.Viewport className="emoji-picker__viewport">
          <EmojiPicker.Loading className="emoji-picker__note muted small">Loading emoji…</EmojiPicker.Loading>
          <EmojiPicker.Empty className="emoji-picker__note muted small">No emoji found.</EmojiPicker.Empty>
          <EmojiPicker.List className="emoji-picker__list" components={{ CategoryHeader, Emoji }} />
        </EmojiPicker.Viewport>
      </EmojiPicker.Root>
    </div>,
    document.body,
  );
}
