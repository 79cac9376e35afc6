import { Fragment, memo, type ReactNode } from 'react';
import { ROOM_MENTION, mentionTokens } from '@parley/protocol';
import { CodeBlock } from './markdown-code';
import { isPlainText, parseMarkdown, safeHref, type Token } from './markdown-parser';
import './markdown.css';

/** An element being built: its children so far, and how to wrap them once its closing token comes. */
type Frame = { children: ReactNode[]; close: (children: ReactNode[], key: number) => ReactNode };

const OPENERS: Record<string, (token: Token) => Frame['close']> = {
  paragraph_open: (token) =>
    // In a tight list markdown-it hides the paragraphs: their text sits in the item itself.
    token.hidden
      ? (children, key) => <Fragment key={key}>{children}</Fragment>
      : (children, key) => (
          <p key={key} className="md-p">
            {children}
          </p>
        ),
  blockquote_open: () => (children, key) => (
    <blockquote key={key} className="md-quote">
      {children}
    </blockquote>
  ),
  bullet_list_open: () => (children, key) => (
    <ul key={key} className="md-list">
      {children}
    </ul>
  ),
  ordered_list_open: (token) => {
    const start = Number(token.attrGet('start') ?? 1);
    return (children, key) => (
      <ol key={key} className="md-list" start={Number.isSafeInteger(start) ? start : undefined}>
        {children}
      </ol>
    );
  },
  list_item_open: () => (children, key) => <li key={key}>{children}</li>,
  strong_open: () => (children, key) => <strong key={key}>{children}</strong>,
  em_open: () => (children, key) => <em key={key}>{children}</em>,
  s_open: () => (children, key) => <s key={key}>{children}</s>,
  link_open: (token) => {
    const href = safeHref(String(token.attrGet('href') ?? ''));
    if (href === null) return (children, key) => <Fragment key={key}>{children}</Fragment>;
    return (children, key) => (
      <a key={key} href={href} title={href} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    );
  },
};

/**
 * A text with `@<me>` and `@room` marked (a `mark` each, as Slack and Zulip highlight mentions of
 * the reader); the text itself when `me` is unset or nothing matches.
 */
function markMentions(text: string, me: string | undefined, key: number): ReactNode {
  if (me === undefined) return text;
  const parts: ReactNode[] = [];
  let from = 0;
  for (const token of mentionTokens(text)) {
    if (!token.names.some((name) => name === me || name === ROOM_MENTION)) continue;
    // The reading that matched: `@bob.` marks `@bob`, the sentence's full stop stays outside.
    const length = token.names[0] === me || token.names[0] === ROOM_MENTION ? token.length : token.names[1]!.length + 1;
    parts.push(text.slice(from, token.index));
    parts.push(
      <mark key={parts.length} className="mention mention--me">
        {text.slice(token.index, token.index + length)}
      </mark>,
    );
    from = token.index + length;
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(from));
  return <Fragment key={key}>{parts}</Fragment>;
}

/** Leaf tokens: text and code. Anything not named here (there should be nothing) renders as nothing. */
function leaf(token: Token, key: number, me: string | undefined): ReactNode {
  switch (token.type) {
    case 'text':
      return markMentions(token.content, me, key);
    case 'softbreak':
      return '\n'; // the message text keeps `white-space: pre-wrap`, so a line break shows as one
    case 'hardbreak':
      return <br key={key} />;
    case 'code_inline':
      return (
        <code key={key} className="md-code-inline">
          {token.content}
        </code>
      );
    case 'fence':
      // The fence's content ends with the line break before the closing fence: not part of the code.
      return <CodeBlock key={key} code={token.content.replace(/\n$/, '')} language={token.info.trim().split(/\s+/)[0] ?? ''} />;
    default:
      return null;
  }
}

/**
 * Builds React elements from markdown-it's tokens, without recursion (nesting is bounded by the parser,
 * but a loop is bounded by nothing at all) and without ever producing HTML: text stays text.
 */
function toElements(blockTokens: Token[], me: string | undefined): ReactNode[] {
  const root: ReactNode[] = [];
  const stack: Frame[] = [];
  let key = 0;
  const visit = (token: Token) => {
    const out = stack.at(-1)?.children ?? root;
    if (token.nesting === 1) {
      const opener = OPENERS[token.type];
      stack.push({ children: [], close: opener ? opener(token) : (children, k) => <Fragment key={k}>{children}</Fragment> });
    } else if (token.nesting === -1) {
      const frame = stack.pop();
      if (frame) (stack.at(-1)?.children ?? root).push(frame.close(frame.children, key++));
    } else if (token.type === 'inline') {
      for (const child of token.children ?? []) visit(child);
    } else {
      const node = leaf(token, key++, me);
      if (node !== null) out.push(node);
    }
  };
  for (const token of blockTokens) visit(token);
  while (stack.length > 0) {
    const frame = stack.pop()!;
    (stack.at(-1)?.children ?? root).push(frame.close(frame.children, key++));
  }
  return root;
}

const CACHE_SIZE = 1000;
const rendered = new Map<string, ReactNode>();

/**
 * The rendering of a text, with mentions of `me` (a lowercase username) marked when given; parsed
 * once per distinct text (a room re-renders, and remounts, its messages).
 */
export function renderMarkdown(text: string, me?: string): ReactNode {
  if (isPlainText(text)) return markMentions(text, me, 0);
  const cacheKey = me === undefined ? text : `${me}\u0000${text}`;
  const hit = rendered.get(cacheKey);
  if (hit !== undefined) {
    rendered.delete(cacheKey); // least recently used goes first: move this one to the back
    rendered.set(cacheKey, hit);
    return hit;
  }
  const tokens = parseMarkdown(text);
  const node: ReactNode = tokens ? toElements(tokens, me) : markMentions(text, me, 0);
  rendered.set(cacheKey, node);
  if (rendered.size > CACHE_SIZE) rendered.delete(rendered.keys().next().value!);
  return node;
}

/**
 * A message's text as the safe Markdown subset: no HTML, no images, only http(s) and mailto links.
 * `mentionsOf`: the reader's username when the message mentions them, to mark where it does.
 */
export const Markdown = memo(function Markdown({ text, mentionsOf }: { text: string; mentionsOf?: string | undefined }) {
  return <>{renderMarkdown(text, mentionsOf)}</>;
});
