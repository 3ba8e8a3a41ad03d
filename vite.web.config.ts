import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The renderer alone, built for the browser harness (`npm run demo:web`, e2e tests). */
export default defineConfig({
  root: resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  plugins: [react()],
  // No data: URLs for assets (KaTeX fonts): the CSP allows fonts only from 'self'.
  build: { outDir: resolve(import.meta.dirname, 'out/web'), emptyOutDir: true, assetsInlineLimit: 0 },
});
