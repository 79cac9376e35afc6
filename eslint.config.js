// One ESLint config for the whole workspace (flat config). Besides the usual TypeScript and React
// hooks rules, it encodes the boundaries of ../shared/STYLE.md as rules that fail the build:
// see "Boundaries" below. `pnpm lint` runs it, and `pnpm test` runs `pnpm lint` first.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const server = 'apps/server/src';
const web = 'apps/web/src';
const webFeatures = ['auth', 'chat', 'rooms'];

/** Packages that are drivers, transports or native libraries (sharp): none of them belongs in the domain. */
const DRIVERS = [
  'express',
  'socket.io',
  'ioredis',
  'pg',
  'better-sqlite3',
  '@socket.io/*',
  'cors',
  'helmet',
  'cookie',
  'sharp',
  'content-disposition',
];

/** `from` may not be imported by files in `target` (paths from the repository root). */
const zone = (target, from, message, except) => ({ target, from, message, ...(except && { except }) });

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'bench/results/**', 'e2e/test-results/**', 'e2e/playwright-report/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2024, sourceType: 'module' },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          noWarnOnMultipleProjects: true,
          project: ['apps/*/tsconfig.json', 'packages/*/tsconfig.json', 'e2e/tsconfig.json', 'bench/tsconfig.json'],
        }),
      ],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read the environment in config.ts only (apps/server/src/config.ts).',
        },
      ],
      // Boundaries: layers point one way (http/realtime -> domain -> storage), features stay apart.
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            zone(
              `${server}/domain`,
              [`${server}/http`, `${server}/realtime`, `${server}/edge`, `${server}/infra`],
              'domain/ knows nothing of transports or infrastructure; take what it needs as an interface it owns.',
            ),
            zone(
              `${server}/storage`,
              [`${server}/http`, `${server}/realtime`, `${server}/edge`, `${server}/infra`, `${server}/domain`],
              'storage/ is the bottom layer.',
            ),
            zone(`${server}/edge`, [`${server}/http`, `${server}/realtime`], 'edge/ is shared by http/ and realtime/; it imports neither.'),
            zone(`${server}/infra`, [`${server}/http`, `${server}/realtime`], 'infra/ serves http/ and realtime/; it imports neither.'),
            zone(`${server}/http`, [`${server}/realtime`], 'http/ and realtime/ are separate edges; share through edge/.'),
            zone(`${server}/realtime`, [`${server}/http`], 'http/ and realtime/ are separate edges; share through edge/.'),
            zone('apps/server', 'apps/web', 'server and web share only @parley/protocol.'),
            zone('apps/web', 'apps/server', 'server and web share only @parley/protocol.'),
            zone(`${web}/lib`, `${web}/features`, 'lib/ is shared code: it imports no feature.'),
            ...webFeatures.map((feature) =>
              zone(
                `${web}/features/${feature}`,
                `${web}/features`,
                'features do not import each other: move shared code to lib/, or compose in app/.',
                [`./${feature}`],
              ),
            ),
          ],
        },
      ],
    },
  },
  {
    files: [`${server}/domain/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: DRIVERS,
              message:
                'domain/ imports no framework or driver: drivers are chosen in main.ts and reach the domain through storage/ interfaces.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [`${server}/storage/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['express', 'socket.io', 'ioredis', '@socket.io/*'], message: 'storage/ knows no transport.' }] },
      ],
    },
  },
  {
    files: ['packages/protocol/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$|\\.{1,2}/)', message: 'protocol imports zod only: no Node, no DOM, no socket.io runtime.' }] },
      ],
    },
  },
  {
    // The one file that reads the environment, and tools that are configured by it (tests, bench, e2e, scripts).
    files: [
      `${server}/config.ts`,
      '**/test/**',
      '**/*.test.ts',
      '**/*.test.tsx',
      'bench/**',
      'e2e/**',
      '**/scripts/**',
      '**/*.config.ts',
      '**/*.config.js',
      '**/*.config.mjs',
      '**/build.mjs',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
    },
  },
  {
    // Tests may reach into what they test.
    files: ['**/test/**', '**/*.test.ts', '**/*.test.tsx', '**/*.test-d.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // vi.mock's `typeof import('...')` is the documented way to type a partial mock.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  prettier,
);
