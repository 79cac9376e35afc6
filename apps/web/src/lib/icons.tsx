import type { ReactNode } from 'react';
import './icons.css';

/**
 * Small inline SVG icons, drawn in the text colour at the text size. They replace emoji, which show as
 * an empty box where no emoji font is installed. The picture itself is hidden from assistive technology;
 * where it means something, `label` gives it a text alternative, read in its place.
 */
function Icon({ label, children }: { label?: string | undefined; children: ReactNode }) {
  return (
    <>
      <svg className="icon-svg" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        {children}
      </svg>
      {label && <span className="visually-hidden">{label}</span>}
    </>
  );
}

/** A gear: settings. */
export function GearIcon({ label }: { label?: string | undefined }) {
  return (
    <Icon label={label}>
      <path
        d="M8 1.5l1.1 1.6 1.9-.5.4 1.9 1.8.8-.6 1.8 1.2 1.4-1.4 1.3.5 1.9-1.9.4-.8 1.8-1.8-.6L8 14.5l-1.3-1.4-1.9.5-.4-1.9-1.8-.8.6-1.8L2 7.7l1.4-1.3-.5-1.9 1.9-.4.8-1.8 1.8.6z"
        fill="currentColor"
      />
      <circle cx="8" cy="8" r="2.3" fill="var(--panel, #fff)" />
    </Icon>
  );
}

/** A padlock: a private room. */
export function LockIcon({ label }: { label?: string | undefined }) {
  return (
    <Icon label={label}>
      <rect x="3" y="7" width="10" height="7.5" rx="1.5" fill="currentColor" />
      <path d="M5.25 7V5a2.75 2.75 0 0 1 5.5 0v2" fill="none" stroke="currentColor" strokeWidth="1.5" />
    </Icon>
  );
}

/** A paperclip: attach a file. */
export function PaperclipIcon({ label }: { label?: string | undefined }) {
  return (
    <Icon label={label}>
      <path
        d="M10.5 4.5l-5 5a1.4 1.4 0 0 0 2 2l5.2-5.2a2.6 2.6 0 0 0-3.7-3.7L3.8 7.8a3.8 3.8 0 0 0 5.4 5.4l4.3-4.3"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.4"
        strokeLinecap="round"
      />
    </Icon>
  );
}

/** A sheet with a folded corner: a file. */
export function FileIcon({ label }: { label?: string | undefined }) {
  return (
    <Icon label={label}>
      <path d="M3.5 1.5h6l3 3v10h-9z" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
      <path d="M9.5 1.5v3h3" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
    </Icon>
  );
}
