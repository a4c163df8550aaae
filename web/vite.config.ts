import { writeFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/**
 * Writes a .br and a .gz beside every text file of the build, so that the server sends them compressed without
 * compressing on each request (@fastify/static `preCompressed`). Fonts (woff2) and images are compressed already.
 */
function precompress(): Plugin {
  return {
    name: 'fabrique-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir!;
      await Promise.all(Object.keys(bundle).filter((f) => /\.(js|mjs|css|html|svg|json|txt|map)$/.test(f)).map(async (f) => {
        const data = await readFile(join(dir, f));
        if (data.length < 1024) return;
        const [br, gzData] = await Promise.all([
          brotli(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
          gz(data, { level: 9 }),
        ]);
        await Promise.all([writeFile(join(dir, `${f}.br`), br), writeFile(join(dir, `${f}.gz`), gzData)]);
      }));
    },
  };
}

// Run from the repository root: `vite --config web/vite.config.ts` (dev) or `vite build --config web/vite.config.ts`.
export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [react(), precompress()],
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
