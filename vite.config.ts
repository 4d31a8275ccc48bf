import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The React UI, built by scripts/build.mjs into out/renderer: the app window (app://) and `mailmedic serve` both
// serve this one build. Relative asset URLs work under either.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../out/renderer', emptyOutDir: true },
});
