import { useEffect, useState, type ReactNode } from 'react';
import type { CodeNode, highlight } from './markdown-highlight';

// The highlighter is not part of the first page: it is fetched when a code block first needs it.
let highlighter: Promise<{ highlight: typeof highlight }> | undefined;
const loadHighlighter = () => (highlighter ??= import('./markdown-highlight'));

const CACHE_SIZE = 200;
/** Highlighted blocks by language and code: a block scrolled out and back in is not highlighted again. */
const highlighted = new Map<string, CodeNode[] | null>();

function remember(key: string, nodes: CodeNode[] | null) {
  highlighted.set(key, nodes);
  if (highlighted.size > CACHE_SIZE) highlighted.delete(highlighted.keys().next().value!);
}

function renderNodes(nodes: CodeNode[]): ReactNode[] {
  return nodes.map((node, index) =>
    typeof node === 'string' ? (
      node
    ) : (
      <span key={index} className={node.className}>
        {renderNodes(node.children)}
      </span>
    ),
  );
}

/** A fenced code block: shown as plain code at once, then highlighted when its language has a grammar. */
export function CodeBlock({ code, language }: { code: string; language: string }) {
  const cacheKey = `${language}\n${code}`;
  const [result, setResult] = useState(() => ({ key: cacheKey, nodes: highlighted.get(cacheKey) }));
  const nodes = result.key === cacheKey ? result.nodes : highlighted.get(cacheKey);

  useEffect(() => {
    if (language === '' || highlighted.has(cacheKey)) return;
    let live = true;
    loadHighlighter()
      .then((module) => module.highlight(language, code))
      .catch(() => null) // no highlighting is better than no message: the plain code stays
      .then((found) => {
        remember(cacheKey, found);
        if (live) setResult({ key: cacheKey, nodes: found });
      });
    return () => {
      live = false;
    };
  }, [cacheKey, code, language]);

  return (
    <pre className="md-pre">
      <code className={nodes ? 'md-code hljs' : 'md-code'} data-language={language || undefined}>
        {nodes ? renderNodes(nodes) : code}
      </code>
    </pre>
  );
}
