import { renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useReadingAnchor } from '../src/features/chat/hooks/use-reading-anchor';

/** happy-dom has no layout: a view 600 px high from 0, rows whose tops in the content the test moves. */
class FakeResizeObserver {
  static all: FakeResizeObserver[] = [];
  connected = true;
  constructor(private readonly callback: () => void) {
    FakeResizeObserver.all.push(this);
  }
  observe() {}
  disconnect() {
    this.connected = false;
  }
  /** The rows' element changed size (Virtuoso's own observer, made before, has already run). */
  static resize() {
    for (const observer of FakeResizeObserver.all) if (observer.connected) observer.callback();
  }
}

let scrollTop: number;
/** Where each message's top is in the scrolled content. */
let contentTop: Record<number, number>;
let container: HTMLElement;
let scroller: HTMLElement;
let scrollBy: ReturnType<typeof vi.fn>;

const rect = (top: number, height: number) => ({ top, bottom: top + height, height }) as DOMRect;
const topOf = (seq: number) => contentTop[seq]! - scrollTop;

beforeEach(() => {
  FakeResizeObserver.all = [];
  vi.stubGlobal('ResizeObserver', FakeResizeObserver);
  scrollTop = 1000;
  contentTop = { 20: 942, 21: 1008, 22: 1066 };
  container = document.createElement('div');
  scroller = document.createElement('div');
  const rows = document.createElement('div');
  for (const seq of [20, 21, 22]) {
    const item = document.createElement('div');
    item.dataset.index = String(seq);
    const article = document.createElement('article');
    article.dataset.seq = String(seq);
    article.getBoundingClientRect = () => rect(topOf(seq), 58);
    item.append(article);
    rows.append(item);
  }
  scroller.append(rows);
  container.append(scroller);
  document.body.append(container);
  scroller.getBoundingClientRect = () => rect(0, 600);
  Object.defineProperty(scroller, 'scrollTop', { get: () => scrollTop, configurable: true });
  scrollBy = vi.fn(({ top }: { top: number }) => {
    scrollTop += top;
  });
  scroller.scrollBy = scrollBy as unknown as HTMLElement['scrollBy'];
});

afterEach(() => {
  container.remove();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function holding() {
  const { result } = renderHook(() => useReadingAnchor({ current: container }));
  result.current.hold(scroller);
  return result.current;
}

/** Rows above the view took their real heights: everything below them moved down by `px`. */
function rowsAboveGrew(px: number) {
  for (const seq of Object.keys(contentTop)) contentTop[Number(seq)]! += px;
}

describe('useReadingAnchor', () => {
  it('scrolls the first message in view back to where it was when rows above change size', () => {
    holding();
    // Message 21 is the first in view (20 ends where the view begins), 8 px below its top.
    rowsAboveGrew(22);
    FakeResizeObserver.resize();
    expect(scrollBy).toHaveBeenCalledWith({ top: 22, behavior: 'instant' });
    expect(topOf(21)).toBe(8);
  });

  it('corrects only what the list did not: nothing when it scrolled by the difference itself', () => {
    holding();
    rowsAboveGrew(44);
    scrollTop += 22; // the list's own correction, half of it
    FakeResizeObserver.resize();
    expect(scrollBy).toHaveBeenCalledTimes(1);
    expect(scrollBy).toHaveBeenCalledWith({ top: 22, behavior: 'instant' });
    FakeResizeObserver.resize(); // measured again, nothing moved
    expect(scrollBy).toHaveBeenCalledTimes(1);
    expect(topOf(21)).toBe(8);
  });

  it('lets go as soon as the reader scrolls (wheel, touch, key, pointer)', () => {
    for (const input of ['wheel', 'touchstart', 'keydown', 'pointerdown']) {
      scrollBy.mockClear();
      holding();
      scroller.dispatchEvent(new Event(input, { bubbles: true }));
      rowsAboveGrew(22);
      FakeResizeObserver.resize();
      expect(scrollBy, input).not.toHaveBeenCalled();
    }
  });

  it('lets go on a scroll neither the list nor it made (a smooth scroll still running, a fling)', async () => {
    holding();
    await Promise.resolve(); // where the list is scrolled to is noted once the render is done
    scrollTop -= 120;
    scroller.dispatchEvent(new Event('scroll'));
    rowsAboveGrew(22);
    FakeResizeObserver.resize();
    expect(scrollBy).not.toHaveBeenCalled();
  });

  it('keeps holding through its own corrections, and lets go once the list has not changed size for a second', async () => {
    vi.useFakeTimers();
    holding();
    await Promise.resolve();
    rowsAboveGrew(22);
    FakeResizeObserver.resize();
    scroller.dispatchEvent(new Event('scroll')); // the scroll it made
    vi.advanceTimersByTime(900);
    rowsAboveGrew(22);
    FakeResizeObserver.resize();
    expect(scrollBy).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1000);
    rowsAboveGrew(22);
    FakeResizeObserver.resize();
    expect(scrollBy).toHaveBeenCalledTimes(2);
  });

  it('lets go when the message leaves the list, without cutting a later hold short', () => {
    vi.useFakeTimers();
    const anchor = holding();
    scroller.querySelector('article[data-seq="21"]')!.closest('[data-index]')!.remove();
    FakeResizeObserver.resize();
    vi.advanceTimersByTime(500);
    anchor.hold(scroller); // the next page: now message 22 is the first in view
    vi.advanceTimersByTime(600);
    rowsAboveGrew(22);
    FakeResizeObserver.resize();
    expect(scrollBy).toHaveBeenCalledWith({ top: 22, behavior: 'instant' });
  });

  it('lets go when told to (a jump scrolls the list on purpose)', () => {
    const anchor = holding();
    anchor.release();
    rowsAboveGrew(22);
    FakeResizeObserver.resize();
    expect(scrollBy).not.toHaveBeenCalled();
  });
});
