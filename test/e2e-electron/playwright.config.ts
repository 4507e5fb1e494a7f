import { defineConfig } from '@playwright/test';

// The desktop shell's end-to-end test, kept out of the web suite (playwright.config.ts at the root runs
// test/e2e only). Run: npx playwright test -c test/e2e-electron/playwright.config.ts
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results/e2e-electron',
  globalSetup: './global-setup.ts',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
});
