import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';
import { defineConfig } from 'vitest/config';

const server = process.env.PARLEY_DEV_SERVER ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [
    react(),
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
