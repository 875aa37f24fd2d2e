import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The renderer bundle: relative asset paths so Electron's app:// protocol and browser mode serve the same files. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
});
