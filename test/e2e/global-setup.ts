import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_PATH, E2E_WEB_CACHE } from '../support/e2e.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where this run's build of the web app is: the servers of the browser suites serve it. */
    e2eWebDist: string;
  }
}

/**
 * Builds the web app once for the browser suites (when they can run), so each suite serves the same
 * build and none pays for it again. Each run builds into its own directory: two runs at once (two
 * people, or a watch and a full run) must not rebuild the files under each other's servers.
 */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (!existsSync(CHROMIUM_PATH) && !process.env.CI) return undefined;
  const outDir = path.join(E2E_WEB_CACHE, `web-${process.pid}`);
  await build({
    configFile: path.resolve(import.meta.dirname, '../../web/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  project.provide('e2eWebDist', outDir);
  return () => {
    rmSync(outDir, { recursive: true, force: true });
  };
}
