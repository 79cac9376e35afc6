import { useCallback, useEffect, useMemo, useRef, type RefObject } from 'react';

/** The anchor is let go once the list has not changed size for this long: the page is in and measured. */
const SETTLE_MS = 1000;
/** A drift smaller than this is sub-pixel rounding, not a move. */
const TOLERANCE_PX = 0.5;
/** What the reader does to scroll the list themselves: the anchor lets go at once. */
const READER_INPUT = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;

export interface ReadingAnchor {
  /**
   * Notes the message at the top of the view and keeps it where it is until the list settles. Call
   * it when a page has been put above, before anything has moved: in the layout effect of the
   * render that gave the list its new first index.
   */
  hold: (scroller: HTMLElement | null) => void;
  /** Lets go (before the list is scrolled on purpose: a jump to a message). */
  release: () => void;
}

/**
 * Keeps the message being read in place while an older page settles in above it.
 *
 * Virtuoso lays out a page put above (`firstItemIndex` lowered) at an estimated height, its last
 * measured row's for each new row, and scrolls down by as much. The new rows rendered above the view
 * then take their real heights (one, two or several lines), and Virtuoso scrolls by the difference
 * when it measures them, but only while its own scroll direction is "up": it resets that to "none"
 * 50 ms after a scroll event, here the one its own scroll for the page made. When the new rows are
 * rendered and measured later than that (a busy machine), the difference stays, and the message being
 * read moves by it (22 px for a two-line row, 66 px for three long ones).
 *
 * So the first message in view and where it is are noted when the page comes in; until the list has
 * not changed size for SETTLE_MS, each change of its size is followed by scrolling that message
 * back to where it was. The list measures its rows in its own ResizeObserver callback (the list's
 * `skipAnimationFrameInResizeObserver`), made before this one, so this runs after Virtuoso has
 * measured and corrected what it could: only what it missed is corrected, and nothing twice.
 * The reader always wins: input in `container` (wheel, touch, a key, a pointer), or a scroll that
 * neither the list nor this made (a wheel's smooth scroll still running, a fling), lets go at once.
 */
export function useReadingAnchor(container: RefObject<HTMLElement | null>): ReadingAnchor {
  const letGo = useRef<(() => void) | null>(null);

  const release = useCallback(() => {
    const stop = letGo.current;
    letGo.current = null;
    stop?.();
  }, []);

  const hold = useCallback(
    (scroller: HTMLElement | null) => {
      release();
      const area = container.current;
      if (!scroller || !area || typeof ResizeObserver === 'undefined') return;
      const viewTop = () => scroller.getBoundingClientRect().top;
      // The first message at least partly in view, and the element holding the rows (the one
      // Virtuoso observes: its size changes as rows come in and are measured).
      const top = viewTop();
      const anchor = [...scroller.querySelectorAll<HTMLElement>('article[data-seq]')].find((a) => a.getBoundingClientRect().bottom > top);
      const rows = anchor?.closest('[data-index]')?.parentElement;
      if (!anchor || !rows) return;
      const seq = anchor.dataset.seq!;
      const offset = anchor.getBoundingClientRect().top - top;

      // Where the list is scrolled to by the list and by this; anywhere else, the reader scrolled.
      // Noted once the render that put the page above is done (Virtuoso scrolls for the page in it).
      let scrolledTo: number | null = null;
      const onScroll = () => {
        if (scrolledTo !== null && Math.abs(scroller.scrollTop - scrolledTo) > 1) release();
      };
      const restore = () => {
        const now = scroller.querySelector(`article[data-seq="${seq}"]`);
        if (!now) return release();
        const drift = now.getBoundingClientRect().top - viewTop() - offset;
        if (Math.abs(drift) > TOLERANCE_PX) scroller.scrollBy({ top: drift, behavior: 'instant' });
        scrolledTo = scroller.scrollTop;
      };
      let settle = setTimeout(release, SETTLE_MS);
      const observer = new ResizeObserver(() => {
        restore();
        if (letGo.current !== stop) return; // let go: the message left the list
        clearTimeout(settle);
        settle = setTimeout(release, SETTLE_MS);
      });
      observer.observe(rows);
      queueMicrotask(() => {
        if (letGo.current === stop) scrolledTo ??= scroller.scrollTop;
      });
      scroller.addEventListener('scroll', onScroll, { passive: true });
      for (const type of READER_INPUT) area.addEventListener(type, release, { capture: true, passive: true });
      const stop = () => {
        clearTimeout(settle);
        observer.disconnect();
        scroller.removeEventListener('scroll', onScroll);
        for (const type of READER_INPUT) area.removeEventListener(type, release, { capture: true });
      };
      letGo.current = stop;
    },
    [container, release],
  );

  useEffect(() => release, [release]);
  return useMemo(() => ({ hold, release }), [hold, release]);
}
