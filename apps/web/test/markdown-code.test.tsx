import { render, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CodeBlock } from '../src/features/chat/components/markdown-code';
import { grammarName, highlight } from '../src/features/chat/components/markdown-highlight';
import { Markdown } from '../src/features/chat/components/markdown';

describe('fenced code blocks', () => {
  it('shows the code at once, then highlights it with classes only (no inline styles)', async () => {
    const { container } = render(<Markdown text={'```ts\nconst answer: number = 42; // "<b>"\n```'} />);
    const code = container.querySelector('pre > code')!;
    expect(code.textContent).toBe('const answer: number = 42; // "<b>"');
    await waitFor(() => expect(code).toHaveClass('hljs'));
    expect(code.querySelector('.hljs-keyword')).toHaveTextContent('const');
    expect(code.querySelector('.hljs-comment')).toHaveTextContent('// "<b>"');
    expect(code.textContent).toBe('const answer: number = 42; // "<b>"');
    expect(container.querySelector('[style], b')).toBeNull();
  });

  it('keeps HTML inside a block as text when it highlights it', async () => {
    const { container } = render(<Markdown text={'```html\n<img src=x onerror=alert(1)>\n```'} />);
    const code = container.querySelector('pre > code')!;
    await waitFor(() => expect(code.querySelector('.hljs-tag')).not.toBeNull());
    expect(container.querySelector('img')).toBeNull();
    expect(code.textContent).toBe('<img src=x onerror=alert(1)>');
  });

  it('leaves a block without a language, or with one it has no grammar for, plain', async () => {
    const { container } = render(
      <>
        <CodeBlock code="plain text" language="" />
        <CodeBlock code="IDENTIFICATION DIVISION." language="cobol" />
      </>,
    );
    expect(await highlight('cobol', 'x')).toBeNull(); // by now the highlighter has answered the block too
    expect(container.querySelectorAll('.hljs, span')).toHaveLength(0);
    expect([...container.querySelectorAll('code')].map((c) => c.textContent)).toEqual(['plain text', 'IDENTIFICATION DIVISION.']);
  });

  it('remembers a highlighted block, so a block mounted again is highlighted from the start', async () => {
    const text = 'print("again")';
    const first = render(<CodeBlock code={text} language="py" />);
    await waitFor(() => expect(first.container.querySelector('.hljs')).not.toBeNull());
    first.unmount();
    const second = render(<CodeBlock code={text} language="py" />);
    expect(second.container.querySelector('code')).toHaveClass('hljs');
  });

  it('knows the common languages by their usual names', () => {
    expect(['js', 'TS', 'tsx', 'py', 'sh', 'html', 'yml', 'rs', 'go', 'sql', 'json'].map(grammarName)).toEqual([
      'javascript',
      'typescript',
      'typescript',
      'python',
      'bash',
      'xml',
      'yaml',
      'rust',
      'go',
      'sql',
      'json',
    ]);
    expect(grammarName('constructor')).toBeNull();
    expect(grammarName('__proto__')).toBeNull();
  });
});
