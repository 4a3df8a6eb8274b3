import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const __dirname = path.dirname(fileURLToPath(import.meta.url));

const pdfjsDir = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** Ships pdf.js's character maps and standard fonts with the app, so PDFs render without any network. */
const pdfjsAssets = {
  name: 'caseboard-pdfjs-assets',
  writeBundle(options: { dir?: string }) {
    const out = options.dir ?? path.resolve(__dirname, 'dist/renderer');
    for (const folder of ['cmaps', 'standard_fonts']) cpSync(path.join(pdfjsDir, folder), path.join(out, 'pdfjs', folder), { recursive: true });
  },
};

export default defineConfig({
  root: path.resolve(__dirname, 'renderer'),
  base: './',
  plugins: [react(), pdfjsAssets],
  build: {
    outDir: path.resolve(__dirname, 'dist/renderer'),
    emptyOutDir: true,
    // No inline scripts or data: modules: the CSP allows only 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 3000,
  },
});
