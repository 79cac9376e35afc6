import { useLayoutEffect, useRef, type ReactNode } from 'react';

/** Each row's outer element, by its content element (what the observer reports on). */
const outerOf = new WeakMap<Element, HTMLElement>();
/** Rows mounted since the last fit: fitted together, all read before any is written. */
const mounted = new Set<Element>();
let observer: ResizeObserver | null = null;

function pad(inner: Element, height: number): void {
  const outer = outerOf.get(inner);
  const minHeight = `${Math.ceil(height)}px`;
  if (outer && outer.style.minHeight !== minHeight) outer.style.minHeight = minHeight;
}

/**
 * Fits the rows mounted in one commit: every height is read first (one layout for all of them),
 * then every row written. A read after each write would lay the page out again for every row.
 */
function fitMounted(): void {
  const heights = [...mounted].filter((inner) => inner.isConnected).map((inner) => [inner, inner.getBoundingClientRect().height] as const);
  mounted.clear();
  for (const [inner, height] of heights) pad(inner, height);
}

/** One observer for every row: it reports sizes already laid out, so a change is fitted without reading layout again. */
function rowObserver(): ResizeObserver {
  observer ??= new ResizeObserver((entries) => {
    for (const entry of entries) pad(entry.target, entry.borderBoxSize[0]?.blockSize ?? entry.contentRect.height);
  });
  return observer;
}

/**
 * A row whose height is a whole number of pixels. Virtuoso measures rows in whole pixels, and keeps
 * the reader in place by those numbers when rows above are measured; a row of 57.6 px counted as
 * 58 would move the reader by the difference, and a page of them by pixels. So each row is padded
 * up to the next whole pixel. flow-root keeps the content's margins inside what is measured.
 * New rows are fitted in a microtask after their commit (still before Virtuoso's observer measures
 * them and before paint), all together; later changes of size come from one shared ResizeObserver.
 */
export function WholePixelRow({ children }: { children: ReactNode }) {
  const row = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const outer = row.current;
    const inner = content.current;
    if (!outer || !inner || typeof ResizeObserver === 'undefined') return;
    outerOf.set(inner, outer);
    if (mounted.size === 0) queueMicrotask(fitMounted);
    mounted.add(inner);
    const sizes = rowObserver();
    sizes.observe(inner);
    return () => {
      mounted.delete(inner);
      sizes.unobserve(inner);
    };
  }, []);
  return (
    <div ref={row} className="chat-log__row">
      <div ref={content} className="chat-log__row-content">
        {children}
      </div>
    </div>
  );
}
