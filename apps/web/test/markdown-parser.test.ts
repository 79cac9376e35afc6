import { describe, expect, it } from 'vitest';
import { isPlainText, parseMarkdown, safeHref } from '../src/features/chat/components/markdown-parser';

/** A small seeded generator, so that a failure names a text that can be replayed. */
function randomTexts(count: number, alphabet: string, seed = 7): string[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(next() * 24) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
  );
}

describe('isPlainText: the shortcut that skips parsing', () => {
  it('is taken by ordinary sentences', () => {
    for (const text of [
      'hi bob',
      'Looks great. Unread badges feel right.',
      'Next up: the delivery guarantee.',
      'é 日本 🎉 100% (ok)?',
      '2 + 2 = 4',
    ])
      expect(isPlainText(text)).toBe(true);
  });

  it('is not taken by anything that could be markup', () => {
    for (const text of [
      '*a*',
      '_a_',
      '~~a~~',
      '`a`',
      '[a](b)',
      '<a>',
      '> a',
      '- a',
      '+ a',
      '1. a',
      '2) a',
      'a\nb',
      '\\*',
      ' a',
      'a ',
      'https://x.y',
      'MAILTO:a@b.c',
    ])
      expect(isPlainText(text)).toBe(false);
  });

  it('is only taken when parsing would have given one paragraph of the text itself', () => {
    const texts = randomTexts(2000, 'ab 1.-+=:#!&@/()%|{}"\'\t');
    const plain = texts.filter(isPlainText);
    const differs = plain.filter((text) => {
      const tokens = parseMarkdown(text);
      const inline = tokens?.[1]?.children ?? [];
      const shape = tokens?.map((t) => t.type).join() === 'paragraph_open,inline,paragraph_close' && !tokens[0]!.hidden;
      return !(shape && inline.length === 1 && inline[0]!.type === 'text' && inline[0]!.content === text);
    });
    expect(differs).toEqual([]);
    expect(plain.length).toBeGreaterThan(500);
  });
});

describe('parseMarkdown', () => {
  it('gives up (so the text shows as typed) when blocks nest past the limit', () => {
    expect(parseMarkdown(`${'>'.repeat(17)} ok`)).not.toBeNull();
    expect(parseMarkdown(`${'>'.repeat(30)} lost?`)).toBeNull();
    expect(parseMarkdown(`${'- '.repeat(30)}lost?`)).toBeNull();
  });

  it('never produces an html token, even for HTML', () => {
    const tokens = parseMarkdown('<div onclick="x()">\n\n<b>hi</b> <!-- c --> <?php ?>')!;
    const types = tokens.flatMap((t) => [t.type, ...(t.children ?? []).map((c) => c.type)]);
    expect(types.filter((type) => type.startsWith('html') || type === 'image')).toEqual([]);
  });
});

describe('safeHref', () => {
  it('keeps absolute http, https and mailto URLs', () => {
    expect(safeHref('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(safeHref('HTTP://example.com')).toBe('HTTP://example.com');
    expect(safeHref('mailto:ann@example.com')).toBe('mailto:ann@example.com');
  });

  it('refuses every other scheme, relative URLs and what does not parse', () => {
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      'ftp://x',
      '/a',
      '//evil.example',
      '#x',
      'https://',
      'http://[::1',
    ])
      expect(safeHref(href), href).toBeNull();
  });
});
