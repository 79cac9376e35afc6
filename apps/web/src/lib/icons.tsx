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

/** A padlock: a private room. */
export function LockIcon({ label }: { label?: string | undefined }) {
  return (
    <Icon label={label}>
      <rect x="3" y="7" width="10" height="7.5" rx="1.5" fill="currentColor" />
      <path d="M5.25 7V5a2.75 2.75 0 0 1 5.5 0v2" fill="none" stroke="currentColor" strokeWidth="1.5" />
    </Icon>
  );
}
