import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import type { Message, User } from '@parley/protocol';
import { plural } from '../../../lib/plural';
import type { SkippedMessage } from '../api/message-window';
import { useChatStore, type OutgoingMessage } from '../chat.store';
import { useReadingAnchor } from '../hooks/use-reading-anchor';
import { RowContent, firstUnreadIndex, rowComponents, toRows, type Row, type RowContext } from './message-rows';
import './message-list.css';

const NEAR_BOTTOM_PX = 48;
/** Rendered beyond the viewport on each side: a wheel step never shows blank space, and the next page is asked for early. */
const OVERSCAN_PX = { top: 800, bottom: 400 };
const NONE: readonly SkippedMessage[] = [];

interface Props {
  /** The window of the room's top-level history held (ascending by seq, nothing missing between them). */
  messages: Message[];
  pending: OutgoingMessage[];
  meId: string;
  me: User;
  hasOlder: boolean;
  /** Newer messages exist than the newest held: paged in (`onLoadNewer`) as the reader scrolls down. */
  hasNewer?: boolean;
  /** Live messages newer than the window, counted in "N new messages". */
  skipped?: readonly SkippedMessage[];
  /** Open with this message at the top of the view, when the window holds it (see `openAt`); otherwise open at the newest. */
  initialSeq?: number | undefined;
  /**
   * The newest seq read when the room was opened: the first message after it shows under `New
   * messages`, and the list opens there (unless `initialSeq`); `Jump to first unread` brings it back.
   */
  readMarker?: number | undefined;
  /** Replaces the window with the history around `readMarker` (when its first unread is no longer held). */
  onShowFirstUnread?: () => Promise<void>;
  /** The message to highlight (a search result opened), while the list is shown. */
  highlightSeq?: number | undefined;
  onLoadOlder: () => Promise<void>;
  onLoadNewer?: () => Promise<void>;
  /** Replaces the window with the newest page (needed only when `hasNewer`). */
  onShowNewest?: () => Promise<void>;
  onRetry: (clientMsgId: string) => void;
  /** Told whether the newest message is in view. */
  onAtBottomChange: (atBottom: boolean) => void;
}

/** Virtuoso's index of a fresh list's first row: room to page far above without going below 0. */
const FIRST_INDEX = 1_000_000_000;

/**
 * Virtuoso's index of window `next`'s first row, given `previous` and its first index: pages put
 * above lower it by the rows they added, a trimmed top raises it by the rows dropped (seqs have gaps,
 * thread replies take them, so rows are counted, never derived from seqs). Null when `next` does not
 * continue `previous` (no message in common: a replaced window).
 */
function nextFirstIndex(previous: readonly Message[], previousFirst: number, next: readonly Message[]): number | null {
  if (previous.length === 0 || next.length === 0) return previousFirst;
  const wasFirst = next.findIndex((m) => m.id === previous[0]!.id);
  if (wasFirst >= 0) return previousFirst - wasFirst;
  const nowFirst = previous.findIndex((m) => m.id === next[0]!.id);
  return nowFirst >= 0 ? previousFirst + nowFirst : null;
}

/**
 * The scrolling message log, virtualised (react-virtuoso): only the rows near the view are in the
 * DOM. Opens at the newest message, loads older pages near the top without moving what is on
 * screen (rows are counted from a first index that a page put above lowers by its length, a prepend
 * Virtuoso compensates for; what it misses of the new rows' real heights, `useReadingAnchor` corrects),
 * follows new messages only while at the bottom, and offers a jump to the newest when scrolled up.
 */
export function MessageList(props: Props) {
  const { messages, pending, meId, me, hasOlder, hasNewer = false, skipped = NONE, onRetry } = props;
  const { onLoadOlder, onLoadNewer, onShowNewest, onAtBottomChange } = props;
  const virtuoso = useRef<VirtuosoHandle>(null);
  // Thread replies (sent or pending) belong to the thread panel, never to the room's main view.
  const mainPending = useMemo(() => pending.filter((m) => !m.threadRootId), [pending]);
  const { readMarker, onShowFirstUnread } = props;
  const unreadIndex = useMemo(() => firstUnreadIndex(messages, readMarker, hasOlder), [messages, readMarker, hasOlder]);
  const rows = useMemo(() => toRows(messages, mainPending, hasOlder, unreadIndex), [messages, mainPending, hasOlder, unreadIndex]);
  // The first unread message when the room opened (its seq), if there was one to show.
  const [firstUnreadSeq] = useState(() => (unreadIndex >= 0 ? messages[unreadIndex]!.seq : undefined));
  const [initialIndex] = useState(() => {
    const seq = props.initialSeq ?? firstUnreadSeq;
    return seq === undefined ? -1 : messages.findIndex((m) => m.seq === seq);
  });

  // A window that replaced the last one (a jump to the newest) gets a fresh list, opened at its end,
  // or at the first unread when that is what was asked for (`reopenAt`).
  const [reopenAt, setReopenAt] = useState<number | undefined>(undefined);
  const [view, setView] = useState({ key: 0, messages, firstIndex: FIRST_INDEX, startIndex: initialIndex });
  if (view.messages !== messages) {
    const firstIndex = nextFirstIndex(view.messages, view.firstIndex, messages);
    if (firstIndex === null) {
      const startIndex = reopenAt === undefined ? -1 : messages.findIndex((m) => m.seq === reopenAt);
      setView({ key: view.key + 1, messages, firstIndex: FIRST_INDEX, startIndex });
      if (reopenAt !== undefined) setReopenAt(undefined);
    } else {
      setView({ ...view, messages, firstIndex });
    }
  }
  const firstItemIndex = view.firstIndex;

  const [listAtBottom, setListAtBottom] = useState(initialIndex < 0);

  // A page put above (the first index lowered, same list): the message in view is held in place
  // until the new rows are measured. Not at the bottom, where following the newest keeps the view.
  const container = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLElement | null>(null);
  const setScroller = useCallback((element: HTMLElement | Window | null) => {
    scroller.current = element instanceof HTMLElement ? element : null;
  }, []);
  const anchor = useReadingAnchor(container);
  const shown = useRef({ key: view.key, firstIndex: firstItemIndex });
  useLayoutEffect(() => {
    const before = shown.current;
    shown.current = { key: view.key, firstIndex: firstItemIndex };
    if (view.key !== before.key) anchor.release();
    else if (firstItemIndex < before.firstIndex && !listAtBottom) anchor.hold(scroller.current);
  }, [view.key, firstItemIndex, listAtBottom, anchor]);
  const atBottom = listAtBottom && !hasNewer;
  useEffect(() => onAtBottomChange(atBottom), [atBottom, onAtBottomChange]);

  // "N new messages": messages from others newer than the newest one known when the reader left the bottom.
  const newestKnown = Math.max(messages.at(-1)?.seq ?? 0, skipped.at(-1)?.seq ?? 0);
  const [seenSeq, setSeenSeq] = useState(newestKnown);
  const unseen = useMemo(() => {
    if (atBottom) return 0;
    let count = 0;
    for (let i = messages.length - 1; i >= 0 && messages[i]!.seq > seenSeq; i--) if (messages[i]!.author.id !== meId) count++;
    const heldEnd = messages.at(-1)?.seq ?? 0;
    for (const s of skipped) if (s.seq > Math.max(seenSeq, heldEnd) && s.authorId !== meId) count++;
    return count;
  }, [atBottom, messages, skipped, seenSeq, meId]);

  const onListAtBottom = (value: boolean) => {
    if (!value && listAtBottom) setSeenSeq(newestKnown);
    setListAtBottom(value);
  };

  const [loadingOlder, setLoadingOlder] = useState(false);
  const olderFailed = useRef(false);
  const loadOlder = () => {
    if (!hasOlder || loadingOlder) return;
    setLoadingOlder(true);
    olderFailed.current = false;
    onLoadOlder()
      .catch(() => {
        olderFailed.current = true;
      })
      .finally(() => setLoadingOlder(false));
  };
  const loadingNewer = useRef(false);
  const loadNewer = useCallback(() => {
    if (!hasNewer || !onLoadNewer || loadingNewer.current) return;
    loadingNewer.current = true;
    onLoadNewer()
      .catch(() => undefined)
      .finally(() => {
        loadingNewer.current = false;
      });
  }, [hasNewer, onLoadNewer]);
  // The newest end was trimmed (or more arrived) while the reader was at the window's end: page on.
  useEffect(() => {
    if (hasNewer && listAtBottom) loadNewer();
  }, [hasNewer, listAtBottom, loadNewer, messages]);

  // Live messages are followed only when the window already held the newest end: a page of newer
  // history arriving at the reader's feet is read, not skipped over.
  const heldNewest = useRef(!hasNewer);
  useEffect(() => {
    heldNewest.current = !hasNewer;
  }, [hasNewer]);

  const scrollToEnd = useRef(false);
  useEffect(() => {
    if (!scrollToEnd.current) return;
    scrollToEnd.current = false;
    anchor.release();
    virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end' });
  }, [messages, anchor]);
  const jumpToNewest = useCallback(() => {
    if (hasNewer && onShowNewest) {
      // The newest page replaces the window; the list goes to its end once it is in.
      onShowNewest().then(
        () => {
          scrollToEnd.current = true;
        },
        () => undefined,
      );
      return;
    }
    anchor.release();
    virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end' });
  }, [hasNewer, onShowNewest, anchor]);

  // `Jump to first unread`: shown while the `New messages` separator is off screen.
  const [unreadVisible, setUnreadVisible] = useState(initialIndex >= 0 && initialIndex === unreadIndex);
  // Set once the history around the marker is asked for: the list goes to it once it is in.
  const scrollToUnread = useRef(false);
  useEffect(() => {
    if (!scrollToUnread.current || unreadIndex < 0) return;
    scrollToUnread.current = false;
    anchor.release();
    virtuoso.current?.scrollToIndex({ index: unreadIndex, align: 'start' });
  }, [unreadIndex, anchor]);
  const jumpToFirstUnread = () => {
    if (unreadIndex >= 0) {
      anchor.release();
      virtuoso.current?.scrollToIndex({ index: unreadIndex, align: 'start' });
      return;
    }
    if (!onShowFirstUnread) return;
    // The window no longer holds it (a jump to the newest replaced it): the history around the marker replaces it again.
    setReopenAt(firstUnreadSeq);
    scrollToUnread.current = true;
    onShowFirstUnread().catch(() => {
      scrollToUnread.current = false;
    });
  };
  const showJumpToUnread = firstUnreadSeq !== undefined && !unreadVisible;

  // A new send of mine is shown at once, wherever the reader was.
  const sends = useRef(mainPending.length);
  useEffect(() => {
    if (mainPending.length > sends.current) jumpToNewest();
    sends.current = mainPending.length;
  }, [mainPending.length, jumpToNewest]);

  // The message being edited (the Up arrow in the composer picks my last one) is brought into view.
  const editing = useChatStore((s) => s.editing);
  useEffect(() => {
    if (editing === null) return;
    const index = messages.findIndex((m) => m.id === editing);
    if (index < 0) return;
    anchor.release();
    virtuoso.current?.scrollIntoView({ index, align: 'center' });
  }, [editing, messages, anchor]);

  // A room opens at its newest messages (unless at a given one), even if its window was left far up.
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current) return;
    opened.current = true;
    if (hasNewer && initialIndex < 0 && onShowNewest) void onShowNewest().catch(() => undefined);
  }, [hasNewer, initialIndex, onShowNewest]);

  const context: RowContext = {
    meId,
    me,
    hasOlder,
    hasNewer,
    hasMessages: messages.length > 0,
    empty: rows.length === 0,
    onRetry,
    onFirstUnreadVisible: setUnreadVisible,
    highlightSeq: props.highlightSeq,
  };
  const first =
    view.startIndex >= 0 ? { index: view.startIndex, align: 'start' as const } : { index: 'LAST' as const, align: 'end' as const };
  return (
    <div ref={container} className="message-list">
      <Virtuoso<Row, RowContext>
        key={view.key}
        ref={virtuoso}
        scrollerRef={setScroller}
        role="log"
        aria-label="Messages"
        aria-busy={loadingOlder}
        className="chat-log"
        data={rows}
        context={context}
        firstItemIndex={firstItemIndex}
        initialTopMostItemIndex={first}
        computeItemKey={(_, row) => row.key}
        itemContent={(_, row, ctx) => <RowContent row={row} context={ctx} />}
        components={rowComponents}
        alignToBottom
        followOutput={(isAtBottom) => (isAtBottom && heldNewest.current ? 'auto' : false)}
        atBottomThreshold={NEAR_BOTTOM_PX}
        atBottomStateChange={onListAtBottom}
        increaseViewportBy={OVERSCAN_PX}
        // Rows are measured (and Virtuoso's corrections made) before the frame is painted, not a frame
        // later: a page put above never shows out of place, and useReadingAnchor's observer comes after.
        skipAnimationFrameInResizeObserver
        startReached={loadOlder}
        endReached={loadNewer}
        rangeChanged={(range) => {
          // A page that failed is asked for again when the reader is back at the first row.
          if (olderFailed.current && range.startIndex <= firstItemIndex) loadOlder();
        }}
      />
      {showJumpToUnread && (
        <button type="button" className="jump jump--unread" onClick={jumpToFirstUnread}>
          Jump to first unread
        </button>
      )}
      {!atBottom && (
        <button type="button" className="jump" onClick={jumpToNewest}>
          {unseen > 0 ? plural(unseen, 'new message') : 'Jump to newest'}
        </button>
      )}
    </div>
  );
}
