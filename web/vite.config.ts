import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Run from the repository root: `vite --config web/vite.config.ts` (dev) or `vite build --config web/vite.config.ts`.
export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000' },
  },
});
