import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// The desktop build: main process, sandboxed preload (CJS: sandboxed preloads have no ESM), renderer.
export default defineConfig({
  main: {
    // The PST scan worker is its own entry: worker threads load it from a file next to main.js (electron/pst/worker-source.ts).
    build: { outDir: 'out/main', rollupOptions: { input: { main: resolve('electron/app/main.ts'), 'pst-scan-worker': resolve('electron/pst/scan-worker.ts') } } },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { preload: resolve('electron/app/preload.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: { outDir: 'out/renderer', rollupOptions: { input: { index: resolve('renderer/index.html') } } },
  },
});
