import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// A sandboxed preload cannot load files from disk (Electron security guide: "Enable process
// sandboxing"), so it is bundled into one CommonJS file with the shared schemas inlined.
export default defineConfig({
  build: {
    outDir: fileURLToPath(new URL('../dist', import.meta.url)),
    emptyOutDir: false,
    sourcemap: true,
    minify: false,
    lib: {
      entry: fileURLToPath(new URL('./preload.ts', import.meta.url)),
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rolldownOptions: { external: ['electron'] },
  },
});
