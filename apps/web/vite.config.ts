import { createHash } from 'node:crypto';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { compression } from 'vite-plugin-compression2';
import { defineConfig } from 'vitest/config';

const server = process.env.PARLEY_DEV_SERVER ?? 'http://localhost:3000';

/** index.html's `<meta name="parley-build" content="dev">`: `dev` under `vite serve`, the build id once built. */
const BUILD_META = /(<meta name="parley-build" content=")dev(")/;

/**
 * Names each build by its content: a hash of index.html and of every emitted file's name (their
 * names already carry their contents' hashes), so rebuilding the same sources gives the same id and
 * an open tab is told to reload only when something changed. The id goes into index.html's
 * parley-build meta (the page's own build, sent in the socket handshake) and into build.json, which
 * the server reads at start-up and tells every socket in `server:info`.
 */
function buildId(): Plugin {
  return {
    name: 'parley-build-id',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = bundle['index.html'];
      if (html?.type !== 'asset' || !BUILD_META.test(String(html.source))) {
        this.error('index.html has no <meta name="parley-build" content="dev">');
      }
      const files = Object.keys(bundle)
        .filter((name) => name !== 'index.html' && !/\.(map|br|gz)$/.test(name) && !name.startsWith('.vite/'))
        .sort();
      const id = createHash('sha256').update(String(html.source)).update(files.join('\n')).digest('hex').slice(0, 12);
      html.source = String(html.source).replace(BUILD_META, `$1${id}$2`);
      this.emitFile({ type: 'asset', fileName: 'build.json', source: `${JSON.stringify({ build: id })}\n` });
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    buildId(),
    // Brotli and gzip copies beside each file (x.js.br, x.js.gz), made once here at maximum quality;
    // the server sends the one the browser accepts. Not the source maps, nor the build manifest.
    compression({
      algorithms: ['brotliCompress', 'gzip'],
      include: /\.(html|css|js|mjs|svg|json|txt)$/,
      exclude: /(^|\/)\.vite\//,
      threshold: 1024,
      logLevel: 'silent',
    }),
  ],
  server: {
    port: 5173,
    // In `pnpm dev` the API and the socket go to the Parley server; the browser sees one origin.
    proxy: {
      '/api': { target: server },
      '/socket.io': { target: server, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    // Maps for error tooling, without the sourceMappingURL comment; the server does not serve them
    // unless SERVE_SOURCE_MAPS=1.
    sourcemap: 'hidden',
    // dist/.vite/manifest.json: scripts/check-bundle-size.mjs reads it to find what the first page loads.
    manifest: true,
    // Every browser we support preloads modules itself: no polyfill in the first chunk.
    modulePreload: { polyfill: false },
  },
  test: {
    environment: 'happy-dom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
  },
});
