import { render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../src/features/chat/components/markdown';
import { MessageItem } from '../src/features/chat/components/message-item';
import { message } from './support/fixtures';
import { setup } from './support/render';

function show(text: string) {
  return render(<Markdown text={text} />).container;
}

/** Every attribute name in the rendered tree: none may be an event handler or a style. */
function attributeNames(root: Element): string[] {
  return [...root.querySelectorAll('*')].flatMap((element) => element.getAttributeNames());
}

describe('Markdown: the constructs', () => {
  it('renders bold, italic, strike and inline code', () => {
    const root = show('**bold** *italic* _also_ ~~gone~~ `a < b`');
    expect(root.querySelector('strong')).toHaveTextContent('bold');
    expect([...root.querySelectorAll('em')].map((e) => e.textContent)).toEqual(['italic', 'also']);
    expect(root.querySelector('s')).toHaveTextContent('gone');
    expect(root.querySelector('code')).toHaveTextContent('a < b');
    expect(root.textContent).toBe('bold italic also gone a < b');
  });

  it('nests emphasis', () => {
    const root = show('**bold _and italic_**');
    expect(root.querySelector('strong em')).toHaveTextContent('and italic');
  });

  it('renders a fenced code block as code, markup inside it included', () => {
    const root = show('look:\n```\n<b>not bold</b> **nor this**\n```');
    const code = root.querySelector('pre > code');
    expect(code).toHaveTextContent('<b>not bold</b> **nor this**');
    expect(code?.textContent).toBe('<b>not bold</b> **nor this**');
    expect(root.querySelector('b, strong')).toBeNull();
  });

  it('renders quotes, nested quotes and what follows them', () => {
    const root = show('> quoted\n> > deeper\n\nafter');
    const quote = root.querySelector('blockquote');
    expect(quote).toHaveTextContent('quoted');
    expect(quote?.querySelector('blockquote')).toHaveTextContent('deeper');
    expect(root.lastElementChild).toHaveTextContent('after');
    expect(root.lastElementChild?.tagName).toBe('P');
  });

  it('renders bullet and ordered lists, keeping the first number', () => {
    const root = show('- one\n- **two**\n\n3. three\n4. four');
    expect([...root.querySelectorAll('ul > li')].map((li) => li.textContent)).toEqual(['one', 'two']);
    expect(root.querySelector('ul li strong')).toHaveTextContent('two');
    const ordered = root.querySelector('ol');
    expect(ordered).toHaveAttribute('start', '3');
    expect([...root.querySelectorAll('ol > li')].map((li) => li.textContent)).toEqual(['three', 'four']);
  });

  it('keeps line breaks inside a paragraph, and separates paragraphs', () => {
    const root = show('line one\nline two\n\nnext');
    const paragraphs = root.querySelectorAll('p');
    expect(paragraphs).toHaveLength(2);
    expect(paragraphs[0]?.textContent).toBe('line one\nline two');
  });

  it('leaves what the subset does not have as typed: headings, rules, tables, entities', () => {
    const text = '# not a heading &amp; | a | b |';
    const root = show(text);
    expect(root.querySelector('h1, hr, table')).toBeNull();
    expect(root.textContent).toBe(text);
  });

  it('lets a backslash escape markup', () => {
    const root = show('\\*not italic\\*');
    expect(root.querySelector('em')).toBeNull();
    expect(root.textContent).toBe('*not italic*');
  });

  it('renders plain text as the text itself', () => {
    const root = show('hello there, how are you?');
    expect(root.innerHTML).toBe('hello there, how are you?');
  });
});

describe('Markdown: links', () => {
  it('links http(s) URLs, written out or as Markdown, so they cannot reach back into this page', () => {
    show('see https://example.com/a?b=1. and [the docs](https://docs.example.com/x) and <http://example.org>');
    const links = screen.getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com/a?b=1',
      'https://docs.example.com/x',
      'http://example.org',
    ]);
    expect(links.map((a) => a.textContent)).toEqual(['https://example.com/a?b=1', 'the docs', 'http://example.org']);
    for (const link of links) {
      expect(link).toHaveAttribute('rel', 'noopener noreferrer');
      expect(link).toHaveAttribute('target', '_blank');
    }
    expect(screen.getByRole('link', { name: 'the docs' })).toHaveAttribute('title', 'https://docs.example.com/x');
  });

  it('links mailto: addresses', () => {
    show('[mail me](mailto:ann@example.com) or <mailto:bob@example.com>');
    expect(screen.getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual(['mailto:ann@example.com', 'mailto:bob@example.com']);
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](java\tscript:alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](data:text/html,<script>alert(1)</script>)',
    '[x](vbscript:msgbox(1))',
    '[x](file:///etc/passwd)',
    '[x](ftp://example.com/file)',
    '[x](/rooms/r_1)',
    '[x](//evil.example.com)',
    '[x](#top)',
    '<javascript:alert(1)>',
    '<JAVASCRIPT:alert(1)>',
    'javascript:alert(1)',
    'ftp://example.com/file',
    'example.com and ann@example.com',
  ])('renders %s as text, not as a link', (text) => {
    const root = show(text);
    expect(root.querySelector('a')).toBeNull();
    expect(root.textContent).toBe(text.replace('\\', ''));
  });

  it('turns an image into no image: at most a link to it', () => {
    const root = show('![img](https://example.com/x.png) ![bad](javascript:alert(1))');
    expect(root.querySelector('img')).toBeNull();
    expect(screen.getByRole('link', { name: 'img' })).toHaveAttribute('href', 'https://example.com/x.png');
    expect(root.textContent).toContain('![bad](javascript:alert(1))');
  });
});

describe('Markdown: hostile input', () => {
  const payloads = [
    '<img src=x onerror=alert(1)>',
    '`<img src=x onerror=alert(1)>`',
    '```html\n<img src=x onerror=alert(1)><script>alert(2)</script>\n```',
    '<script>alert(2)</script>',
    '<svg onload=alert(3)>',
    '"><iframe src="javascript:alert(4)"></iframe>',
    '[<img src=x onerror=alert(1)>](https://example.com)',
    '[x](https://example.com "title\\" onmouseover=\\"alert(1)")',
    '<a href="javascript:alert(1)">x</a>',
  ];

  it.each(payloads)('renders %s with no HTML of its own, no handler, no style', (text) => {
    const root = show(text);
    expect(root.querySelector('img, script, svg, iframe, style')).toBeNull();
    expect(root.querySelector('a[href^="javascript:" i]')).toBeNull();
    for (const name of attributeNames(root)) expect(name).toMatch(/^(href|title|target|rel|class|start|data-language)$/);
  });

  it('shows a quote bomb in full, as text, rather than losing the words past the nesting limit', () => {
    const text = `${'>'.repeat(1000)} the end`;
    const root = show(text);
    expect(root.querySelector('blockquote')).toBeNull();
    expect(root.textContent).toBe(text);
  });

  it.each([
    ['*', '*'.repeat(4000)],
    ['[', '['.repeat(4000)],
    ['_a', '_a'.repeat(2000)],
    ['[a](', '[a]('.repeat(1000)],
    ['- ', `${'- '.repeat(1000)}x`],
  ])('renders a %s bomb without losing its text', (_, text) => {
    const root = show(text);
    expect(root.textContent?.length).toBeGreaterThan(0);
    expect(root.querySelector('a, img')).toBeNull();
  });
});

describe('MessageItem', () => {
  it('renders the message text as Markdown, in the block that holds it', async () => {
    const { container } = render(<MessageItem message={{ ...message(1), text: '**hi** see\n```js\nconst a = 1;\n```' }} mine={false} />, {
      wrapper: setup().wrapper,
    });
    const text = container.querySelector('.message__text');
    expect(text?.tagName).toBe('DIV'); // paragraphs, lists and code blocks cannot sit inside a <p>
    expect(text?.querySelector('strong')).toHaveTextContent('hi');
    await waitFor(() => expect(text?.querySelector('pre code .hljs-keyword')).toHaveTextContent('const'));
  });
});
