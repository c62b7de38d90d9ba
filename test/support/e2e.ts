import { existsSync } from 'node:fs';
import path from 'node:path';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Where test runs build the web app, apart from `dist/` so a test run never clobbers a build. */
export const E2E_WEB_CACHE = path.resolve(import.meta.dirname, '../../node_modules/.cache/aftersales-e2e');

/**
 * Whether the browser suites can run here. Without Chromium they skip, loudly; in CI a missing
 * Chromium is a failure, never a silent pass.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI) {
    throw new Error(`CI is set but ${CHROMIUM_PATH} is missing: install Debian's chromium (see .ci/run)`);
  }
  console.warn(
    `\n⚠️  SKIPPING the end-to-end browser suites: ${CHROMIUM_PATH} not found (apt-get install chromium fonts-noto-cjk)\n`,
  );
  return false;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
