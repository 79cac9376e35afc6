/** Where `query` occurs in `text`, ignoring case (any script), as [start, end) ranges in UTF-16 units. */
export function matchRanges(text: string, query: string): [number, number][] {
  const needle = query.toLocaleLowerCase();
  if (needle.length === 0) return [];
  const ranges: [number, number][] = [];
  // Compared slice by slice rather than on a lowercased copy: lowercasing may change a text's
  // length (e.g. "İ"), which would move every offset after it.
  for (let start = 0; start < text.length;) {
    const end = start + query.length;
    if (text.slice(start, end).toLocaleLowerCase() === needle) {
      ranges.push([start, end]);
      start = end;
    } else start++;
  }
  return ranges;
}

/** Characters kept before the first match when a long text is cut, so the match shows in a one-line preview. */
const LEAD = 40;

/** `text` with every match of `query` in a <mark>, cut to start shortly before the first match. */
export function Highlighted({ text, query }: { text: string; query: string }) {
  const ranges = matchRanges(text, query);
  const from = ranges[0] && ranges[0][0] > LEAD ? ranges[0][0] - LEAD : 0;
  const parts = [];
  let at = from;
  for (const [start, end] of ranges) {
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return (
    <>
      {from > 0 && '…'}
      {parts}
    </>
  );
}
