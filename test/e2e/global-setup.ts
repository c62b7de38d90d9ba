import { existsSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { CHROMIUM_PATH, E2E_WEB_DIST } from '../support/e2e.js';

/**
 * Builds the web app once for the browser suites (when they can run), so each suite serves the same
 * build and none pays for it again.
 */
export default async function setup(): Promise<void> {
  if (!existsSync(CHROMIUM_PATH) && !process.env.CI) return;
  await build({
    configFile: path.resolve(import.meta.dirname, '../../web/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: E2E_WEB_DIST, emptyOutDir: true },
  });
}
