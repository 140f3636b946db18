/**
 * Vite build of the workbench. `vite build` writes apps/web/dist, which apps/server serves at
 * "/". `vite` (dev) proxies /api to the server on CAJAL_API (default http://127.0.0.1:8080).
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1000 },
  server: { proxy: { '/api': { target: process.env['CAJAL_API'] ?? 'http://127.0.0.1:8080', changeOrigin: false } } },
});
