// Bundles the server (and the workspace protocol package it imports as TypeScript source)
// into dist/main.js; npm dependencies stay external and load from node_modules.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  alias: { '@parley/protocol': '../../packages/protocol/src/index.ts' },
  logLevel: 'warning',
});
