import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The renderer is a plain browser bundle: the same build runs in the Electron window (file://)
// and from `headland serve`, hence relative asset paths.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
    // The station's page, and the farm office's (served by `headland office`).
    rolldownOptions: {
      input: {
        station: fileURLToPath(new URL('./index.html', import.meta.url)),
        office: fileURLToPath(new URL('./office.html', import.meta.url)),
      },
    },
  },
});
