import MarkdownIt, { type Token } from 'markdown-it';

/**
 * The Markdown subset a message may use: emphasis, strike, code (inline and fenced), quotes, lists, links.
 * No raw HTML, no images, no headings or tables, no entities (`&amp;` stays as typed).
 */
const md = new MarkdownIt('zero', { html: false, linkify: true, typographer: false, breaks: false, maxNesting: 20 });
md.enable(['emphasis', 'strikethrough', 'backticks', 'link', 'autolink', 'linkify', 'escape', 'newline', 'fence', 'blockquote', 'list']);
// Only links that say where they go: no bare `example.com` guesses (`readme.md` is a file, not Moldova),
// and no fuzzy e-mail scan (it is quadratic on long runs of `a@b.c`). `mailto:` and `<a@b.c>` still link.
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
md.linkify.add('ftp:', null).add('//', null);

const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The href to use for a link, or null when it is not an absolute http(s) or mailto URL. */
export function safeHref(href: string): string | null {
  if (!/^(https?:\/\/|mailto:)/i.test(href)) return null;
  try {
    return LINK_PROTOCOLS.has(new URL(href).protocol) ? href : null;
  } catch {
    return null;
  }
}

// A link whose target is refused is not a link at all: markdown-it then leaves its source as typed.
md.validateLink = (url) => safeHref(url) !== null;

/** Characters and sequences that can start any construct of the subset, anywhere in a text. */
const MARKUP = /[\\*_~`[\]<>\n\r\0]|:\/\/|mailto:/i;
/** A list item can also start with `-`, `+` or `1.` at the start of the (single-line) text. */
const LIST_START = /^([-+]|\d{1,9}[.)])(\s|$)/;

/**
 * True when the text would render as one paragraph of itself: then it needs no parsing at all,
 * which is what most chat messages are.
 */
export function isPlainText(text: string): boolean {
  return !MARKUP.test(text) && !LIST_START.test(text) && !/^\s|\s$/.test(text);
}

/**
 * The block tokens of a text, or null when it should be shown as plain text: markdown-it drops what lies
 * deeper than `maxNesting` blocks (a `>>>>…` bomb), and a message must never lose words.
 */
export function parseMarkdown(text: string): Token[] | null {
  const tokens = md.parse(text, {});
  const limit = md.options.maxNesting - 1;
  return tokens.some((token) => token.level >= limit) ? null : tokens;
}

export type { Token };
