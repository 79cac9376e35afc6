// Loaded on demand (see markdown-code.tsx): the highlighter and each grammar are chunks of their own,
// fetched the first time a fenced code block names a language, never with the first page.
import type { LanguageFn } from 'highlight.js';
import { createLowlight } from 'lowlight';

/** Highlighted code as plain data: text, or a span with highlight.js classes around more of it. */
export type CodeNode = string | { className: string; children: CodeNode[] };

type Grammar = () => Promise<{ default: LanguageFn }>;

const GRAMMARS: Record<string, Grammar> = {
  bash: () => import('highlight.js/lib/languages/bash'),
  c: () => import('highlight.js/lib/languages/c'),
  cpp: () => import('highlight.js/lib/languages/cpp'),
  csharp: () => import('highlight.js/lib/languages/csharp'),
  css: () => import('highlight.js/lib/languages/css'),
  diff: () => import('highlight.js/lib/languages/diff'),
  go: () => import('highlight.js/lib/languages/go'),
  java: () => import('highlight.js/lib/languages/java'),
  javascript: () => import('highlight.js/lib/languages/javascript'),
  json: () => import('highlight.js/lib/languages/json'),
  kotlin: () => import('highlight.js/lib/languages/kotlin'),
  markdown: () => import('highlight.js/lib/languages/markdown'),
  php: () => import('highlight.js/lib/languages/php'),
  python: () => import('highlight.js/lib/languages/python'),
  ruby: () => import('highlight.js/lib/languages/ruby'),
  rust: () => import('highlight.js/lib/languages/rust'),
  sql: () => import('highlight.js/lib/languages/sql'),
  swift: () => import('highlight.js/lib/languages/swift'),
  typescript: () => import('highlight.js/lib/languages/typescript'),
  xml: () => import('highlight.js/lib/languages/xml'),
  yaml: () => import('highlight.js/lib/languages/yaml'),
};

const ALIASES: Record<string, string> = {
  sh: 'bash',
  shell: 'bash',
  zsh: 'bash',
  h: 'c',
  'c++': 'cpp',
  cc: 'cpp',
  hpp: 'cpp',
  cs: 'csharp',
  'c#': 'csharp',
  patch: 'diff',
  golang: 'go',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  kt: 'kotlin',
  md: 'markdown',
  py: 'python',
  rb: 'ruby',
  rs: 'rust',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  html: 'xml',
  svg: 'xml',
  yml: 'yaml',
};

const lowlight = createLowlight();
const loading = new Map<string, Promise<void>>();

/** The grammar's name for a fence's language tag, or null when no grammar is offered for it. */
export function grammarName(language: string): string | null {
  const tag = language.toLowerCase();
  const name = ALIASES[tag] ?? tag;
  return Object.hasOwn(GRAMMARS, name) ? name : null;
}

function register(name: string): Promise<void> {
  let pending = loading.get(name);
  if (!pending) {
    pending = GRAMMARS[name]!().then((grammar) => lowlight.register(name, grammar.default));
    loading.set(name, pending);
  }
  return pending;
}

type HastChild = ReturnType<typeof lowlight.highlight>['children'][number];

function toNodes(children: HastChild[]): CodeNode[] {
  const nodes: CodeNode[] = [];
  for (const child of children) {
    if (child.type === 'text') nodes.push(child.value);
    else if (child.type === 'element') {
      const className = child.properties.className;
      nodes.push({
        className: Array.isArray(className) ? className.join(' ') : typeof className === 'string' ? className : '',
        children: toNodes(child.children),
      });
    }
  }
  return nodes;
}

/** The code highlighted as `language`, or null when that language has no grammar here. */
export async function highlight(language: string, code: string): Promise<CodeNode[] | null> {
  const name = grammarName(language);
  if (name === null) return null;
  await register(name);
  return toNodes(lowlight.highlight(name, code).children);
}
