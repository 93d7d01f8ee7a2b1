// Vite: builds the app into dist/ (served by `imagesprint serve` at /), and in development
// proxies the API to a running server (IMAGESPRINT_URL, default http://127.0.0.1:8080) so the
// app stays same-origin and the session cookie works as in production.
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const api = process.env.IMAGESPRINT_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    // Hashed file names under /assets/: the server caches them as immutable.
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      '/v1': { target: api, changeOrigin: false },
      '/openapi.json': api,
      '/healthz': api,
    },
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'node',
  },
});
