import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into web/dist and served by `claimtrace serve` from the same origin as the API.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': 'http://127.0.0.1:8787' } },
});
