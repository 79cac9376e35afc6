// The first page's JavaScript budget, checked after `vite build` (the `build` script runs it).
//
// Reads the build manifest (dist/.vite/manifest.json, `build.manifest: true`) to find what the sign-in
// page loads before it can show anything: the entry chunk and every chunk it imports statically.
// Chunks behind a dynamic import() (the signed-in app, syntax highlighting) are not counted. Sizes are
// gzip at level 9, as the build's .gz files: deterministic for a given build. Exits 1 over budget.
//
//   node scripts/check-bundle-size.mjs [distDir]
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KIB = 80;

const distDir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'dist'));
const manifestPath = path.join(distDir, '.vite', 'manifest.json');
if (!fs.existsSync(manifestPath)) {
  console.error(`check-bundle-size: no ${manifestPath}; build with build.manifest: true first (pnpm --filter @parley/web run build)`);
  process.exit(1);
}

/** @type {Record<string, { file: string, isEntry?: boolean, imports?: string[], dynamicImports?: string[] }>} */
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
const entryKey = manifest['index.html']?.isEntry ? 'index.html' : Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!entryKey) {
  console.error('check-bundle-size: the manifest has no entry chunk');
  process.exit(1);
}

/** The manifest keys of the entry and of everything it imports statically, each once. */
function staticClosure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const imported of manifest[key]?.imports ?? []) staticClosure(imported, seen);
  return seen;
}

const gzipBytes = (file) => gzipSync(fs.readFileSync(path.join(distDir, file)), { level: 9 }).length;
const kib = (bytes) => (bytes / 1024).toFixed(1);

const initialFiles = [...staticClosure(entryKey)].map((key) => manifest[key].file).filter((file) => file.endsWith('.js'));
const allFiles = [...new Set(Object.values(manifest).map((chunk) => chunk.file))].filter((file) => file.endsWith('.js'));
const initial = initialFiles.map((file) => ({ file, gzip: gzipBytes(file) }));
const initialBytes = initial.reduce((sum, chunk) => sum + chunk.gzip, 0);
const totalBytes = allFiles.reduce((sum, file) => sum + gzipBytes(file), 0);

for (const chunk of initial) console.log(`  ${chunk.file}  ${kib(chunk.gzip)} KiB gzip`);
console.log(`Initial JS (sign-in page): ${kib(initialBytes)} KiB gzip of ${BUDGET_KIB} KiB budget, ${initial.length} file(s)`);
console.log(`All JS: ${kib(totalBytes)} KiB gzip in ${allFiles.length} file(s)`);

if (initialBytes > BUDGET_KIB * 1024) {
  console.error(
    `check-bundle-size: the sign-in page loads ${kib(initialBytes)} KiB of gzipped JS, over the ${BUDGET_KIB} KiB budget. ` +
      'Move what a signed-out visitor does not need behind a dynamic import() (see src/app/lazy-signed-in-app.tsx).',
  );
  process.exit(1);
}
