// Vite: builds the app into dist/ (served by `imagesprint serve` at /), and in development
// proxies the API to a running server (IMAGESPRINT_URL, default http://127.0.0.1:8080) so the
// app stays same-origin and the session cookie works as in production.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const api = process.env.IMAGESPRINT_URL ?? 'http://127.0.0.1:8080';

/**
 * Redoc's standalone bundle (the /docs page) shows its maker's logo from a CDN. The app loads
 * nothing from the network (and the page's CSP would refuse the image, with a console error),
 * so the URL is blanked in the built asset and in the dev server: Redoc then hides the logo.
 */
const REDOC_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
function offlineRedoc(): Plugin {
  const patch = (code: string) => code.replaceAll(REDOC_LOGO, 'data:,');
  return {
    name: 'imagesprint:offline-redoc',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.includes('redoc.standalone')) continue;
        const code = typeof file.source === 'string' ? file.source : new TextDecoder().decode(file.source);
        if (!code.includes(REDOC_LOGO)) this.warn(`${file.fileName}: the Redoc logo URL moved; check for other network URLs`);
        file.source = patch(code);
      }
    },
    configureServer(server) {
      const path = createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js');
      server.middlewares.use((req, res, next) => {
        if (!req.url?.split('?')[0]?.endsWith('/redoc.standalone.js')) return next();
        res.setHeader('content-type', 'text/javascript; charset=utf-8');
        res.end(patch(fs.readFileSync(path, 'utf8')));
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), offlineRedoc()],
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
