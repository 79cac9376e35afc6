import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const server = process.env.PARLEY_DEV_SERVER ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    // In `pnpm dev` the API and the socket go to the Parley server; the browser sees one origin.
    proxy: {
      '/api': { target: server },
      '/socket.io': { target: server, ws: true },
    },
  },
  build: { outDir: 'dist', sourcemap: true },
  test: {
    environment: 'happy-dom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
  },
});
