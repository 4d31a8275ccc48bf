import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Four projects: unit (pure code, fixtures), integration (real sockets, files, servers, processes),
// e2e (the built renderer served by `mailmedic serve`, driven in Debian's Chromium), windows (the built CLI run as a
// win32 process by Node for Windows under Wine, in one prefix per run: test/windows/global-setup.ts).
export default defineConfig({
  plugins: [react()],
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'windows',
          include: ['test/windows/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/windows/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          // One prefix and one wineserver for the suite: the files run one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
