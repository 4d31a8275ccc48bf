import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer alone, for the browser face (`mailmedic serve`). electron.vite.config.ts builds it for the app.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true },
});
