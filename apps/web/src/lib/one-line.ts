/** A text on one line (white space collapsed), cut to `max` code points with an ellipsis. */
export function oneLine(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}
